"""Creating DSLP issues from their templates (``new_issue``) on the local tracker."""

from __future__ import annotations

import re

import pytest

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.dslp.references import references_in
from jupyter_dsl.dslp.templates import ASK_REFERENCE, BASED_ON_EXPERIMENT, PROMPTED_BY, TEMPLATES
from jupyter_dsl.errors import InvalidInput, NotFound
from jupyter_dsl.issues.create import close_issue, issue_with_ask, new_issue
from jupyter_dsl.trackers import IssueQuery, LocalTracker


def headings(body: str) -> list[str]:
    return re.findall(r"^#{1,6} (.+)$", body, re.MULTILINE)


@pytest.mark.parametrize("issue_type", list(IssueType))
def test_every_type_gets_its_label_and_template(tracker: LocalTracker, issue_type: IssueType) -> None:
    issue = new_issue(tracker, issue_type, f"{issue_type.value} work")
    assert issue.labels == (issue_type.value,)
    assert issue.type is issue_type
    template = next(t for t in TEMPLATES if t.type is issue_type)
    assert headings(issue.body) == template.section_names


def test_data_issues_pick_their_template_by_title_or_variant(tracker: LocalTracker) -> None:
    created = new_issue(tracker, IssueType.DATA, "Create churn features Dataset")
    assert headings(created.body)[0] == "Dataset Name"
    acquired = new_issue(tracker, IssueType.DATA, "Get CRM Dataset")
    assert "Source system" in headings(acquired.body)
    forced = new_issue(tracker, IssueType.DATA, "CRM extract", variant="creation")
    assert "Parent Sources" in headings(forced.body)


def test_sections_and_extra_labels(tracker: LocalTracker) -> None:
    issue = new_issue(
        tracker,
        IssueType.ASK,
        "Why churn?",
        sections={"desired outcome": "Fewer leavers.", "Metrics": "Churn -10%"},
        labels=("on hold", "team-x"),
    )
    assert "### Desired Outcome\n\nFewer leavers.\n" in issue.body
    assert "### Metrics\n\nChurn -10%\n" in issue.body
    assert issue.labels == ("Ask", "on hold", "team-x")


def test_references_fill_the_template_lines(tracker: LocalTracker) -> None:
    ask = new_issue(tracker, IssueType.ASK, "The Ask")
    experiment = new_issue(tracker, IssueType.EXPERIMENT, "Boosting", ask=ask.number)
    explore = new_issue(tracker, IssueType.EXPLORE, "Look", ask=ask.number)
    model = new_issue(
        tracker, IssueType.MODEL, "Implement churn model", ask=ask.number, experiment=experiment.number
    )
    assert references_in(experiment.body) == {ASK_REFERENCE: ask.number}
    assert references_in(explore.body) == {PROMPTED_BY: ask.number}
    assert references_in(model.body) == {ASK_REFERENCE: ask.number, BASED_ON_EXPERIMENT: experiment.number}
    assert experiment.ask == explore.ask == model.ask == ask.number


def test_an_explore_is_prompted_by_an_ask_only(tracker: LocalTracker) -> None:
    # issue 15: `--ask N` must name an Ask (a Data issue, or a closed Explore, is refused)
    data = new_issue(tracker, IssueType.DATA, "Get CRM Dataset")
    with pytest.raises(InvalidInput) as refused:
        new_issue(tracker, IssueType.EXPLORE, "Profile CRM", ask=data.number)
    assert refused.value.message == f"#{data.number} is of type Data, not an Ask"


def test_bad_references_are_refused_and_create_nothing(tracker: LocalTracker) -> None:
    ask = new_issue(tracker, IssueType.ASK, "The Ask")
    explore = new_issue(tracker, IssueType.EXPLORE, "Look", ask=ask.number)
    with pytest.raises(NotFound) as missing:
        new_issue(tracker, IssueType.EXPERIMENT, "x", ask=77)
    assert "#77" in missing.value.message
    with pytest.raises(InvalidInput) as not_an_ask:
        new_issue(tracker, IssueType.EXPERIMENT, "x", ask=explore.number)
    assert "Explore" in not_an_ask.value.message and "Ask" in not_an_ask.value.message
    with pytest.raises(InvalidInput):
        new_issue(tracker, IssueType.MODEL, "Implement x model", ask=ask.number, experiment=explore.number)
    with pytest.raises(InvalidInput) as ask_on_ask:
        new_issue(tracker, IssueType.ASK, "x", ask=ask.number)
    assert "Explore" in ask_on_ask.value.message
    with pytest.raises(InvalidInput):
        new_issue(tracker, IssueType.EXPERIMENT, "x", experiment=ask.number)
    with pytest.raises(InvalidInput):
        new_issue(tracker, IssueType.EXPLORE, "   ")
    with pytest.raises(InvalidInput):
        new_issue(tracker, IssueType.ASK, "x", sections={"No such section": "y"})
    assert len(tracker.list(IssueQuery(state="all"))) == 2


def test_issue_with_ask_shows_a_missing_ask_as_missing(tracker: LocalTracker) -> None:
    ask = new_issue(tracker, IssueType.ASK, "Why churn?")
    explore = new_issue(tracker, IssueType.EXPLORE, "Churn by region", ask=ask.number)
    found = issue_with_ask(tracker, explore.number)
    fresh_ask = tracker.get(ask.number)  # creating the Explore listed it in the Ask
    assert (found.issue, found.ask, found.ask_number, found.ask_missing) == (
        explore,
        fresh_ask,
        ask.number,
        False,
    )
    assert found.to_json() == {"issue": explore.to_json(), "ask": fresh_ask.to_json(), "ask_missing": False}

    tracker.edit(explore.number, body=explore.body.replace(f"#{ask.number}", "#77"))  # an Ask that is gone
    gone = issue_with_ask(tracker, explore.number)
    assert (gone.ask, gone.ask_number, gone.ask_missing) == (None, 77, True)
    assert gone.to_json()["ask"] is None and gone.to_json()["ask_missing"] is True

    alone = issue_with_ask(tracker, ask.number)  # an Ask names no Ask
    assert (alone.ask, alone.ask_number, alone.ask_missing) == (None, None, False)
    cached = issue_with_ask(tracker, ask.number, ask=explore.number)  # a fallback (a link's cached Ask)
    assert cached.ask == tracker.get(explore.number)
    with pytest.raises(NotFound):
        issue_with_ask(tracker, 99)


def test_close_issue_checks_before_it_comments(tracker: LocalTracker) -> None:
    issue = new_issue(tracker, IssueType.EXPLORE, "Churn by region")
    for number, reason, comment, error in (
        (99, "completed", "bye", NotFound),
        (issue.number, "bored", "bye", InvalidInput),
        (issue.number, "completed", "   ", InvalidInput),
    ):
        with pytest.raises(error):
            close_issue(tracker, number, reason, comment=comment)  # type: ignore[arg-type]
        assert tracker.comments(issue.number) == [] and tracker.get(issue.number).state == "open"
    closed = close_issue(tracker, issue.number, "not_planned", comment="Superseded by #3.")
    assert (closed.state, closed.state_reason) == ("closed", "not_planned")
    assert [c.body for c in tracker.comments(issue.number)] == ["Superseded by #3."]
