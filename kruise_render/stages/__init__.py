"""One module per concern. Each exposes `run(docs, ctx) -> docs` and nothing else public."""
