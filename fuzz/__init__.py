"""Coverage-guided fuzz targets (atheris) for the reader and every stage; see fuzz/run.py."""
