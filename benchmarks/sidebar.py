"""The sidebar's timings in a real JupyterLab and Chromium, each as a ratio against JupyterLab's own tab
switch measured in the same page and run: switching between two linked notebooks, and sorting the runs
table of 5,000 runs. Needs the browser tests' set-up (jlpm install; Debian's chromium).

    python benchmarks/sidebar.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIG = "labextension/ui-tests/benchmarks.config.ts"


def main() -> int:
    env = {**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", "PYTHON": sys.executable}
    command = ["jlpm", "playwright", "test", "--config", CONFIG, "--reporter", "list"]
    return subprocess.run(command, cwd=REPO, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
