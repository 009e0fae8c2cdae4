"""Allow `python -m nimbus.cli`."""

import sys

from nimbus.cli import main

sys.exit(main())
