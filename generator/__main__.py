"""``python -m generator`` runs the ``careers`` command."""

import sys

from generator.cli import main

sys.exit(main())
