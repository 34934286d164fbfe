"""`kruise-render diff`: what a change does to the cluster, from two renders (see compute.py)."""
