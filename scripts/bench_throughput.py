"""Throughput of Toolsuite's API against the seed's FastAPI stack (issue 6).

Run through `make bench`, which installs what it needs; `--help` lists the
options. Runs in the seed stack's venv (cryptography, psycopg2).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness.run import main

if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nInterrupted: every process the benchmark started has been stopped.")
        sys.exit(130)
