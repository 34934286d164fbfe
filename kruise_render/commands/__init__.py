"""One module per CLI command; each `run(...)` takes typed arguments, calls the public API
(`kruise_render`, `kruise_render.api`), prints through `output.py` and returns an exit code."""
