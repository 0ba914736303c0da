"""Where the installed `fogwatch` command is (beside this interpreter), as tests/conftest.py finds it."""

import sys
from pathlib import Path

FOGWATCH = Path(sys.executable).with_name("fogwatch")
