"""Ask maintenance on the local tracker: an Ask lists the issues made for it, ticks them when they are
done, and keeps every byte the user wrote; another writer's edit between our read and write survives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.errors import Conflict
from jupyter_dsl.issues import ask_links
from jupyter_dsl.issues.create import close_issue, edit_issue, new_issue, reopen_issue
from jupyter_dsl.notebook import links
from jupyter_dsl.trackers import Issue, LocalTracker

# An Ask written by hand: CRLF line breaks, odd spacing, a line of its own in the list, text after it
ASK_BODY = (
    "## Problem Statement\r\n"
    "\r\n"
    "Why  do   they leave?  \r\n"
    "\r\n"
    "## Understanding and Exploration\r\n"
    "\r\n"
    "*   [ ] #9 an older one  \r\n"
    "\r\n"
    "Keep   this.\r\n"
    "\r\n"
    "## Approaches and Experiments\r\n"
)


def _ask(tracker: LocalTracker, body: str = ASK_BODY) -> Issue:
    return tracker.create("Why do customers churn?", body, ["Ask"])


def test_creating_an_explore_adds_one_line_and_keeps_every_other_byte(tracker: LocalTracker) -> None:
    ask = _ask(tracker)
    explore = new_issue(tracker, IssueType.EXPLORE, "Churn  by region", ask=ask.number)
    assert explore.number == 2
    expected = ASK_BODY.replace(
        "*   [ ] #9 an older one  \r\n", "*   [ ] #9 an older one  \r\n- [ ] #2 Churn by region\r\n"
    )
    assert tracker.get(ask.number).body == expected

    new_issue(tracker, IssueType.EXPERIMENT, "Gradient boosting", ask=ask.number)
    assert tracker.get(ask.number).body == expected + "\r\n- [ ] #3 Gradient boosting\r\n"


def test_each_type_goes_to_its_section(tracker: LocalTracker) -> None:
    ask = new_issue(tracker, IssueType.ASK, "Why churn?")
    data = new_issue(tracker, IssueType.DATA, "Get CRM Dataset", ask=ask.number)
    model = new_issue(tracker, IssueType.MODEL, "Implement GBM model", ask=ask.number)
    assert "***Ask Reference:*** #1" in data.body  # the Data template names its Ask in Reference
    body = tracker.get(ask.number).body
    datasets = body.split("### Datasets", 1)[1].split("## Understanding and Exploration", 1)[0]
    experiments = body.split("## Approaches and Experiments", 1)[1].split("## See Also", 1)[0]
    assert f"- [ ] #{data.number} Get CRM Dataset" in datasets
    assert f"- [ ] #{model.number} Implement GBM model" in experiments
    assert body.count(f"#{data.number} ") == 1 and body.count(f"#{model.number} ") == 1


def test_close_ticks_reopen_unticks_and_not_planned_stays_unticked(tracker: LocalTracker) -> None:
    ask = _ask(tracker)
    explore = new_issue(tracker, IssueType.EXPLORE, "Churn by region", ask=ask.number)
    other = new_issue(tracker, IssueType.EXPLORE, "Churn by plan", ask=ask.number)
    listed = tracker.get(ask.number).body
    close_issue(tracker, explore.number)
    ticked = tracker.get(ask.number).body
    assert ticked == listed.replace("- [ ] #2 Churn by region", "- [x] #2 Churn by region")
    close_issue(tracker, other.number, "not_planned")
    assert tracker.get(ask.number).body == ticked
    reopen_issue(tracker, explore.number)
    assert tracker.get(ask.number).body == listed


def test_ticking_keeps_the_users_wording_of_the_line(tracker: LocalTracker) -> None:
    ask = _ask(tracker, ASK_BODY.replace("*   [ ] #9 an older one  ", "*   [ ] #9 my own words, edited"))
    older = tracker.create("An older one", "***Prompted by:*** #1\n", ["Explore"])
    assert older.number == 2  # not #9: the Ask's #9 line is not this issue's
    nine_line = "*   [ ] #9 my own words, edited"
    edited = ASK_BODY.replace("*   [ ] #9 an older one  ", nine_line)
    # the issue was made on the forge's web page (no line yet); closing it adds its line, ticked
    close_issue(tracker, older.number)
    body = tracker.get(ask.number).body
    assert body == edited.replace(f"{nine_line}\r\n", f"{nine_line}\r\n- [x] #2 An older one\r\n")
    tracker.edit(ask.number, body=body.replace("- [x] #2 An older one", "+ [x] #2 older, in my words"))
    reopen_issue(tracker, older.number)
    assert "+ [ ] #2 older, in my words\r\n" in tracker.get(ask.number).body


def test_linking_again_adds_no_second_line(tracker: LocalTracker, make_notebook: Any, tmp_path: Path) -> None:
    ask = _ask(tracker)
    made_on_the_web = tracker.create("Churn by region", "***Prompted by:*** #1\n", ["Explore"])
    notebook = make_notebook(tmp_path / "churn.ipynb")
    links.link(tracker, notebook, made_on_the_web.number)
    once = tracker.get(ask.number).body
    assert once.count("#2 Churn by region") == 1
    links.link(tracker, notebook, made_on_the_web.number)
    links.unlink(notebook)
    links.link(tracker, notebook, made_on_the_web.number)
    assert tracker.get(ask.number).body == once


def test_an_edit_that_names_an_ask_lists_the_issue_there(tracker: LocalTracker) -> None:
    first = _ask(tracker)
    second = _ask(tracker, "## Approaches and Experiments\n")
    experiment = new_issue(tracker, IssueType.EXPERIMENT, "GBM", ask=first.number)
    before_first = tracker.get(first.number).body
    edit_issue(tracker, experiment.number, body=experiment.body.replace("#1", f"#{second.number}"))
    assert tracker.get(second.number).body == "## Approaches and Experiments\n\n- [ ] #3 GBM\n"
    assert tracker.get(first.number).body == before_first  # the old Ask is the user's to tidy
    edit_issue(tracker, experiment.number, title="GBM, retitled")  # the Ask did not change: no edit
    assert tracker.get(second.number).body == "## Approaches and Experiments\n\n- [ ] #3 GBM\n"


def test_a_missing_or_non_ask_reference_is_left_alone(tracker: LocalTracker) -> None:
    data = new_issue(tracker, IssueType.DATA, "Get CRM Dataset")
    data_body = tracker.get(data.number).body
    explore = new_issue(tracker, IssueType.EXPLORE, "Look at CRM")
    # prompted by Data: `--ask` refuses a non-Ask (issue 15), an edit of the body can still name one
    prompted = explore.body.replace("***Prompted by:***", f"***Prompted by:*** #{data.number}")
    explore = edit_issue(tracker, explore.number, body=prompted)
    assert explore.ask == data.number
    assert tracker.get(data.number).body == data_body
    edit_issue(tracker, explore.number, body=explore.body.replace(f"#{data.number}", "#77"))
    close_issue(tracker, explore.number)
    assert tracker.get(explore.number).state == "closed"


class InterleavedWriter:
    """The local tracker, with another writer (its own connection) editing the Ask at a chosen read."""

    def __init__(self, tracker: LocalTracker, other: LocalTracker, ask: int) -> None:
        self.inner, self.other, self.ask = tracker, other, ask
        self.reads = 0
        self.writes_at: dict[int, Callable[[str], str]] = {}

    def get(self, number: int) -> Issue:
        found = self.inner.get(number)
        if number == self.ask:
            self.reads += 1
            change = self.writes_at.get(self.reads)
            if change is not None:  # after our read returns, before we write: the other writer's turn
                self.other.edit(self.ask, body=change(self.other.get(self.ask).body))
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_concurrent_edit_is_not_lost(tracker: LocalTracker) -> None:
    ask = _ask(tracker)
    explore = tracker.create("Churn by region", "***Prompted by:*** #1\n", ["Explore"])
    other = LocalTracker(tracker.database)
    try:
        racing = InterleavedWriter(tracker, other, ask.number)
        # read 1 finds the Ask, read 2 is the body we change: the other writer edits right after it
        racing.writes_at[2] = lambda body: body.replace("Keep   this.", "Keep   this, and this.")
        update = ask_links.list_in_ask(racing, explore)  # type: ignore[arg-type]
    finally:
        other.close_connection()
    assert update is not None and update.changed
    body = tracker.get(ask.number).body
    assert "Keep   this, and this.\r\n" in body  # the other writer's edit
    assert body.count("- [ ] #2 Churn by region\r\n") == 1  # and ours
    assert racing.reads > 3  # it noticed and started again


def test_an_ask_that_keeps_changing_fails_clearly_and_loses_nothing(tracker: LocalTracker) -> None:
    ask = _ask(tracker)
    explore = tracker.create("Churn by region", "***Prompted by:*** #1\n", ["Explore"])
    other = LocalTracker(tracker.database)
    try:
        racing = InterleavedWriter(tracker, other, ask.number)
        for attempt in range(ask_links.ATTEMPTS):  # after every read of the body, before its re-read
            racing.writes_at[2 + 2 * attempt] = lambda body: body + "more\r\n"
        with pytest.raises(Conflict, match=r"Ask #1 kept changing .*add `- \[ \] #2 Churn by region`"):
            ask_links.list_in_ask(racing, explore)  # type: ignore[arg-type]
    finally:
        other.close_connection()
    body = tracker.get(ask.number).body
    assert "#2" not in body and body.count("more\r\n") == ask_links.ATTEMPTS
