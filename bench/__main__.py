"""Run every bench/bench_*.py module's main() in name order, or only those named on the command line.

Options after the names go to the named modules: `python -m bench load --scenario burst`.
"""

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    split = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    picks, options = argv[:split], argv[split:]
    wanted = [n for n in names if not picks or any(a in n for a in picks)]
    for name in wanted:
        print(f"\n=== {name} ===", flush=True)
        run = importlib.import_module(f"bench.{name}").main
        if inspect.signature(run).parameters:
            run(options)
        else:
            run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
