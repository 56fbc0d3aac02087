"""The GitHub test server for the browser tests, and a DSLP project on it.

``python github_server_main.py DIR`` starts ``tests/forges/github_server.py`` on a free loopback port
(the fake token is ``DSL_UI_GITHUB_TOKEN``), makes DIR a git repository and a DSLP project whose
``dsl.toml`` names that server, seeds the DSLP labels, an Ask and an Explore of that Ask (made through
jupyter-dsl's core, then the Explore's line is taken out of the Ask again, as if the Explore had been
made by hand on the forge), prints what it made as one JSON line and serves until it is killed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # tests.forges, and this checkout's jupyter_dsl

from jupyter_dsl.issues.create import new_issue  # noqa: E402
from jupyter_dsl.dslp.issue_types import IssueType  # noqa: E402
from jupyter_dsl.project.settings import find_project  # noqa: E402
from jupyter_dsl.project.scaffold import init_project  # noqa: E402
from jupyter_dsl.trackers import open_tracker  # noqa: E402
from tests.forges.github_server import GitHubServer  # noqa: E402

NOTEBOOK = "forge.ipynb"
LABELS = {"Ask": "d73a4a", "Explore": "f0f29b"}


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=ui-test", "-c", "user.email=ui-test@localhost", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def make_project(root: Path, server: GitHubServer) -> dict[str, object]:
    init_project(root, name="ui-forge")
    config = root / "dsl.toml"
    text = config.read_text(encoding="utf-8")
    tracker_toml = f'\nkind = "github"\nrepo = "octo/demo"\napi_url = "{server.base_url}"\ntimeout = 5\n'
    config.write_text(text.replace('\nkind = "local"\n', tracker_toml, 1), encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Churn by region"), nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(nb, root / NOTEBOOK)
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "ui-test forge project")
    for name, color in LABELS.items():
        server.seed_label(name, color)
    tracker = open_tracker(find_project(root))
    ask = new_issue(tracker, IssueType.ASK, "Reduce churn", sections={"Desired Outcome": "Fewer leave."})
    explore = new_issue(tracker, IssueType.EXPLORE, "Churn by region", ask=ask.number)
    tracker.edit(ask.number, body=ask.body)  # the Explore is not listed in its Ask yet
    return {
        "root": str(root.resolve()),
        "notebook": NOTEBOOK,
        "repo": "octo/demo",
        "api_url": server.base_url,
        "web_url": server.web_url,
        "ask": {"number": ask.number, "title": ask.title},
        "explore": {"number": explore.number, "title": explore.title, "url": explore.url},
    }


def main(directory: str) -> None:
    token = os.environ["DSL_UI_GITHUB_TOKEN"]
    os.environ["GITHUB_TOKEN"] = token  # this process makes the issues through the core
    server = GitHubServer("octo/demo", token=token).start()
    made = make_project(Path(directory), server)
    print(json.dumps(made), flush=True)
    threading.Event().wait()  # serve until killed


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python github_server_main.py DIR")
    main(sys.argv[1])
