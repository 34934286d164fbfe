"""`python -m kruise_render`: the command line."""
import sys

from kruise_render.launch import main

sys.exit(main())
