"""The route behind the sidebar's "Mark exploration complete" dialog, on a real server over the real demo:
after the demo (which completed its exploration) the dialog's dry run has nothing left to do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from server_support import GIT_ENV, Api, api, git, local_tracker, server_config
from traitlets.config import Config

from jupyter_dsl.project.demo import NOTEBOOK, make_demo
from jupyter_dsl.trackers import IssueQuery

__all__ = ["api"]  # the fixture, imported for pytest

SUMMARY = "docs/findings/2-churn-by-region.md"


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def demo(jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in GIT_ENV.items():  # git in the server (same process) commits with this identity
        monkeypatch.setenv(name, value)
    make_demo(jp_root_dir, force=True, runs=False)
    return jp_root_dir


def tracker_state(root: Path) -> Any:
    tracker = local_tracker(root)
    try:
        issues = tracker.list(IssueQuery(state="all"))
        return [(i.to_json(), [c.to_json() for c in tracker.comments(i.number)]) for i in issues]
    finally:
        tracker.close_connection()


def test_the_dialog_finds_the_demo_complete_even_after_an_unrelated_commit(api: Api, demo: Path) -> None:
    (demo / "notes.txt").write_text("an unrelated file\n")
    git(demo, "add", "notes.txt")
    git(demo, "commit", "--quiet", "-m", "an unrelated commit")
    head, tracker_before = git(demo, "rev-parse", "HEAD"), tracker_state(demo)

    dry = api.call("POST", f"findings/{NOTEBOOK}", {"dry_run": True})
    assert dry.code == 200, dry.body
    assert [step["state"] for step in dry.json["steps"]] == ["already done"] * 6
    assert (dry.json["link"], dry.json["saved_status"]) == (None, "complete")
    # the Findings section's preview is the committed summary, byte for byte
    assert api.get(f"findings/{NOTEBOOK}", to="md")["text"] == (demo / SUMMARY).read_text()

    done = api.call("POST", f"findings/{NOTEBOOK}", {})
    assert done.code == 200, done.body
    assert [step["state"] for step in done.json["steps"]] == ["already done"] * 6
    assert done.json["link"] is None  # nothing for the sidebar to set in the open notebook
    assert git(demo, "rev-parse", "HEAD") == head and git(demo, "status", "--porcelain") == ""
    assert tracker_state(demo) == tracker_before
