"""Allow `python -m nimbus`."""

import sys

from nimbus.daemon.cli import main

sys.exit(main())
