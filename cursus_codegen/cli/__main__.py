"""`python -m cursus_codegen.cli` behaves exactly like the `cursus-codegen` command."""

import sys

from cursus_codegen.cli import main

sys.exit(main())
