"""Allow `python -m nimbus`."""

import sys

from nimbus.cli import main

sys.exit(main())
