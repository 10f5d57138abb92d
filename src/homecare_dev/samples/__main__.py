"""``python -m homecare_dev.samples`` (``make samples``): rewrite every committed synthetic
sample input under ``data/raw/sample/`` deterministically, with its SAMPLES.sha256 registry."""

from __future__ import annotations

from homecare.core import paths
from homecare_dev.samples import facilities, home_medical, population, scores


def main() -> None:
    """Regenerate the score, facility, population and home-care samples (home-care after
    facilities: its list reuses the facility samples' hospitals and clinics)."""
    for path in [*scores.generate(), *facilities.generate(), *population.write_samples(), *home_medical.generate()]:
        print(f"wrote {paths.relative(path)}")


if __name__ == "__main__":
    main()
