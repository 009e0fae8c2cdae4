"""Allow `python -m nimbus.daemon.cli`."""

import sys

from nimbus.daemon.cli import main

sys.exit(main())
