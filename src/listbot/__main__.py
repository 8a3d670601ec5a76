"""``python -m listbot``."""

import sys

from listbot.cli import main

sys.exit(main())
