"""``python -m build_tools``: the same as the ``kb`` console script."""

import sys

from build_tools.cli import main

sys.exit(main())
