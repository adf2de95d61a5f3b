"""``python -m wandb`` runs the CLI, like the real package."""

import sys

from wandb.cli import main

sys.exit(main())
