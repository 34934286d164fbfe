import sys

from kruise_render.cli import main

sys.exit(main())
