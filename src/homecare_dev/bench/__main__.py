"""``make bench``: performance figures (printed, never asserted in tests).

Each topic registers a benchmark function here; each prints its own figures.
"""

from __future__ import annotations

import importlib
import sys

# (module, function) pairs; each function takes no arguments and prints its figures.
BENCHMARKS: list[tuple[str, str]] = [
    ("homecare_dev.bench.geocoder", "main"),
    ("homecare_dev.bench.ingestion", "main"),
    ("homecare_dev.bench.scores", "main"),
    ("homecare_dev.bench.national", "main"),
    ("homecare_dev.bench.maps", "main"),
    ("homecare_dev.bench.cold_run", "main"),
    ("homecare_dev.bench.pipeline", "pipeline_runs"),
    ("homecare_dev.bench.population", "ipss_workbook"),
    ("homecare_dev.bench.home_medical", "main"),
]


def main(argv: list[str] | None = None) -> int:
    """Run every registered benchmark (or those named on the command line)."""
    names = set(argv if argv is not None else sys.argv[1:])
    if not BENCHMARKS:
        print("no benchmarks registered yet")
    for module, func in BENCHMARKS:
        if names and module.rsplit(".", 1)[-1] not in names and func not in names:
            continue
        print(f"== {module}.{func}")
        getattr(importlib.import_module(module), func)()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
