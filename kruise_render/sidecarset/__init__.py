"""SidecarSet injection as the Kruise v1.9.0 pod webhook does it (stage: stages/sidecarset.py)."""
