"""``python -m benchmarks``: every benchmark, one after another (each prints its figures)."""

import importlib
import sys

NAMES = ("flows", "eventlog", "optimize", "signing", "routing", "archiving", "lab", "seat", "classroom", "courses", "mail",
         "portal")

if __name__ == "__main__":
    for name in sys.argv[1:] or NAMES:
        print(f"== benchmarks.{name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        sys.argv = [f"benchmarks.{name}"]  # each runs with its own defaults
        module.main()
