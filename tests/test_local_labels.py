"""The local tracker's side of the forge protocol: labels, no pull requests, no web pages, never offline."""

from __future__ import annotations

import pytest

from jupyter_dsl.errors import InvalidInput, NotFound
from jupyter_dsl.trackers import Label, LocalTracker, require_pull_requests, web_links_of

# DSLP.md's label table, written out here rather than read from lifecycle.LABELS
DSLP_LABELS = {
    "Ask": "c9ecff",
    "Data": "1c587c",
    "Explore": "f0f29b",
    "Experiment": "8569c6",
    "Model": "0b4e82",
    "Deploy": "f79499",
    "Communicate": "f9f345",
    "succeeded": "67d157",
    "failed": "c2021c",
    "on hold": "ffd04f",
    "blocked - need access": "ed9a53",
}


def test_a_new_local_tracker_has_the_eleven_dslp_labels(tracker: LocalTracker) -> None:
    labels = {label.name: label for label in tracker.labels()}
    assert {name: label.color for name, label in labels.items()} == DSLP_LABELS
    assert labels["Ask"].description == "Define and scope problem and solution"


def test_save_label_creates_updates_and_refuses_mismatches(tracker: LocalTracker) -> None:
    tracker.save_label(Label("priority", "00ff00", "do first"), exists=False)
    tracker.save_label(Label("Ask", "123ABC", "changed"), exists=True)
    labels = {label.name: label for label in tracker.labels()}
    assert labels["priority"] == Label("priority", "00ff00", "do first")
    assert labels["Ask"] == Label("Ask", "123abc", "changed")
    with pytest.raises(InvalidInput, match="already exists"):
        tracker.save_label(Label("priority", "000000", ""), exists=False)
    with pytest.raises(NotFound, match="no label 'nope'"):
        tracker.save_label(Label("nope", "000000", ""), exists=True)
    with pytest.raises(InvalidInput, match="6 hex digits"):
        tracker.save_label(Label("bad", "#12345", ""), exists=False)
    assert "bad" not in {label.name for label in tracker.labels()}


def test_a_label_used_on_an_issue_is_listed_and_can_be_defined(tracker: LocalTracker) -> None:
    tracker.create("t", "", ["Ask", "urgent"])
    listed = {label.name: label for label in tracker.labels()}
    assert listed["urgent"] == Label("urgent", "ededed", "")
    tracker.save_label(Label("urgent", "ff0000", "now"), exists=True)
    assert Label("urgent", "ff0000", "now") in tracker.labels()


def test_no_pull_requests_no_urls_never_offline(tracker: LocalTracker) -> None:
    issue = tracker.create("t", "", ["Explore"])
    with pytest.raises(InvalidInput, match="the local tracker has no pull requests; use a forge"):
        require_pull_requests(tracker)  # the refusal comes from the capability check now
    assert issue.url == "" and web_links_of(tracker) is None
    tracker.get(issue.number)
    assert tracker.offline_as_of is None
