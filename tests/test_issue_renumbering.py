"""Two clones made the same #N offline: after sync the older issue keeps it, the other gets the next
free number, sync says which, and what named the moved issue still finds it (its Ask line is rewritten,
a notebook link finds it by its stable id, `issue show` of the old number says where it went)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
from refs_support import remote_and_clones, titles, tracker_of
from runs_support import dsl, dsl_json


def test_the_same_number_made_in_two_clones(tmp_path: Path) -> None:
    _, (ann, bob) = remote_and_clones(tmp_path, "ann", "bob")
    dsl(ann, "issue", "new", "Ask", "Why churn?")
    dsl(ann, "sync")
    dsl(bob, "sync")
    dsl(ann, "issue", "new", "Explore", "Churn by region", "--ask", "1")  # offline, both: #2
    time.sleep(1.1)  # Bob's #2 is the newer one: it moves
    dsl(bob, "issue", "new", "Explore", "Churn by tenure", "--ask", "1")
    notebook = bob / "tenure.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), notebook)
    dsl(bob, "link", str(notebook), "2")
    assert json.loads(notebook.read_text())["metadata"]["jupyter_dsl"]["issue_id"]
    dsl(ann, "sync")
    out = dsl(bob, "sync").stdout
    assert "renumbered: #2 is now #3 Churn by tenure" in out
    out = dsl(ann, "sync").stdout
    assert "renumbered: #2 is now #3 Churn by tenure" in out  # the other clone is told too
    expected = {1: "Why churn?", 2: "Churn by region", 3: "Churn by tenure"}
    assert titles(ann) == titles(bob) == expected
    for root in (ann, bob):
        with tracker_of(root) as tracker:
            body = tracker.get(1).body
        assert "- [ ] #2 Churn by region" in body and "- [ ] #3 Churn by tenure" in body, body
        assert "#2 Churn by tenure" not in body
    status = dsl_json(bob, "status", str(notebook))
    assert status["issue"]["number"] == 3 and status["issue"]["title"] == "Churn by tenure"
    shown = dsl(bob, "issue", "show", "2", "--no-comments").stdout
    assert "another issue was also #2; a sync renumbered it to #3" in shown and "Churn by region" in shown
    assert dsl_json(bob, "issue", "show", "2", "--no-comments")["renumbered_to"] == [3]
