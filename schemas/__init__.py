"""JSON Schemas of the Kruise kinds kruise-render reads (see validate stage)."""
