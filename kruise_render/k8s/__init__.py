"""Kubernetes rules, each in one place: identity, names, selectors, quantities, int-or-string,
strategic merge patch, Go types, pod templates."""
