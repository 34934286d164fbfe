"""`python -m kruise_render`: the command line."""
import sys

from kruise_render.cli import main

sys.exit(main())
