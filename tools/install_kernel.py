"""Register this environment's Jupyter kernel ``homecare`` (used by papermill and nbval).

Same as ``python -m ipykernel install --sys-prefix --name homecare`` but the kernel logs only
errors: ipykernel's per-start warning about unencrypted local TCP would otherwise fill every
scheduled run's log.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ipykernel.kernelspec import install

NAME = "homecare"


def main() -> None:
    path = Path(install(kernel_name=NAME, display_name="Python (homecare)", prefix=sys.prefix))
    spec_file = path / "kernel.json"
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    flag = "--IPKernelApp.log_level=ERROR"
    if flag not in spec["argv"]:
        spec["argv"].insert(spec["argv"].index("-f"), flag)
    spec_file.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
