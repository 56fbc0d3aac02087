"""Checklist lines in a named section of an issue body: one line changes, every other byte stays."""

from __future__ import annotations

import pytest

from jupyter_dsl.dslp import checklists
from jupyter_dsl.errors import InvalidInput

BODY = (
    "## Problem Statement\r\n\r\nChurn.\r\n\r\n"
    "## Understanding and Exploration\r\n\r\n<!-- guidance -->\r\n\r\n"
    "Notes the user wrote.\r\n\r\n  * [ ] #2 Churn by region\r\n* [x] #12 Other\r\n\r\n"
    "```\r\n## Not a heading\r\n```\r\n\r\n"
    "## Approaches and Experiments\r\n"
)


def test_the_line_of_an_issue_is_replaced_in_place_keeping_indent_bullet_and_crlf() -> None:
    new = checklists.set_issue_line(BODY, "understanding and exploration", 2, "- [x] #2 Churn: west")
    assert new == BODY.replace("  * [ ] #2 Churn by region", "  * [x] #2 Churn: west")
    assert checklists.set_issue_line(new, "Understanding and Exploration", 2, "- [x] #2 Churn: west") == new


def test_a_new_line_goes_after_the_list_and_1_is_not_12() -> None:
    new = checklists.set_issue_line(BODY, "Understanding and Exploration", 1, "- [x] #1 First")
    assert new == BODY.replace("* [x] #12 Other\r\n", "* [x] #12 Other\r\n- [x] #1 First\r\n")


def test_a_missing_section_is_added_at_the_end() -> None:
    body = "## Problem Statement\n\nChurn.\n"
    new = checklists.set_issue_line(body, "Approaches and Experiments", 3, "- [ ] #3 GBM")
    assert new == body + "\n## Approaches and Experiments\n\n- [ ] #3 GBM\n"


def test_goals_are_added_ticked_and_read_back() -> None:
    body = "## Goals\n\n<!-- the questions -->\n\n## Next Steps\n"
    one = checklists.add_item(body, "Goals", "  churn by\nregion ")
    assert one == "## Goals\n\n<!-- the questions -->\n\n- [ ] churn by region\n\n## Next Steps\n"
    two = checklists.set_done(checklists.add_item(one, "Goals", "tenure"), "Goals", 2)
    assert [(i.number, i.done, i.text) for i in checklists.checklist(two, "Goals")] == [
        (1, False, "churn by region"),
        (2, True, "tenure"),
    ]
    with pytest.raises(InvalidInput, match="no item 3 under 'Goals'"):
        checklists.set_done(two, "Goals", 3)
    with pytest.raises(InvalidInput, match="not a checklist line of #4"):
        checklists.set_issue_line(two, "Goals", 4, "#4 no box")


def test_section_text_leaves_out_guidance_and_reference_lines() -> None:
    body = "## Overview\n\n***Prompted by:*** #1\n\n<!-- why -->\n\nRegions differ.\n\n## Goals\n"
    assert checklists.section_text(body, "Overview") == "Regions differ."
    assert checklists.section_text(body, "Missing") == ""


def test_a_prefixed_line_is_set_once() -> None:
    body = "## Results\n\n<!-- TLDR -->\n"
    once = checklists.set_prefixed_line(body, "Results", "**TL;DR:**", "**TL;DR:** good")
    assert once == "## Results\n\n<!-- TLDR -->\n\n**TL;DR:** good\n"
    twice = checklists.set_prefixed_line(once, "Results", "**TL;DR:**", "**TL;DR:** better")
    assert twice == once.replace("good", "better")
