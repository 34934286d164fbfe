"""One module per CLI command; each `run(...)` takes typed arguments and returns an exit code."""
