"""`python -m evals`: the eval suite's command line."""

import sys

from evals.cli import main

sys.exit(main())
