"""Validation of both sides: Kruise inputs against our schemas/, native outputs against Kubernetes'."""
