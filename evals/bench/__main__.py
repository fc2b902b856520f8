import sys

from evals.bench.benchmarks import main

sys.exit(main())
