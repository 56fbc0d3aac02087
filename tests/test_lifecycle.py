"""The DSLP model checked against the text of DSLP.md itself (parsed here, not copied from the code)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from jupyter_dsl.dslp.branches import BranchRef, branch_name, parse_branch, slugify
from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.dslp.labels import LABELS, issue_type_of
from jupyter_dsl.dslp.references import ask_of, references_in
from jupyter_dsl.dslp.templates import (
    ASK_REFERENCE,
    BASED_ON_EXPERIMENT,
    EXPERIMENT_HISTORY,
    PROMPTED_BY,
    RELATED_PR,
    TEMPLATES,
    render_body,
    template_file,
    template_for,
)
from jupyter_dsl.errors import InvalidInput

HERE = Path(__file__).resolve().parent
DSLP_CANDIDATES = [
    Path(os.environ.get("JUPYTER_DSL_DSLP_MD", "/nonexistent")),
    HERE.parent / "docs" / "DSLP.md",
    HERE.parent.parent / "shared" / "DSLP.md",
]


@pytest.fixture(scope="module")
def dslp() -> str:
    for candidate in DSLP_CANDIDATES:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    pytest.skip("DSLP.md (the reference text) is not available: set JUPYTER_DSL_DSLP_MD to its path")


def table_rows(text: str, header_start: str) -> list[list[str]]:
    """The body rows of the Markdown table whose header row starts with ``header_start``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


@dataclass
class SpecSection:
    level: int
    heading: str
    markers: list[str]  # ***Marker:*** lines DSLP.md names inside this section


HEADING = re.compile(r"`(#{1,6}) ([^`]+)`")
MARKER = re.compile(r"`?(\*\*\*[^*`]+:\*\*\*)")


def spec_sections(column: str) -> list[SpecSection]:
    """``## A`` (``### B``, ...) · ``## C`` ... → sections in order, with the markers each names."""
    sections: list[SpecSection] = []
    for part in column.split(" · "):
        headings = HEADING.findall(part)
        markers = MARKER.findall(part)
        level, heading = headings[0]
        sections.append(SpecSection(len(level), heading, markers))
        for sub_level, sub_heading in headings[1:]:
            if sub_heading.endswith(" N"):  # `### Insight N`: a repeated entry, not a fixed section
                continue
            sections.append(SpecSection(len(sub_level), sub_heading, []))
    return sections


@pytest.fixture(scope="module")
def spec_types(dslp: str) -> dict[str, tuple[str, str, list[SpecSection]]]:
    """DSLP.md's issue-type table: row name → (label, title pattern, sections)."""
    rows = table_rows(dslp, "| type | label |")
    return {row[0]: (row[1].strip("`"), row[2], spec_sections(row[3])) for row in rows}


TEMPLATE_ROW = {
    "Ask": "Ask",
    "Data.Acquisition": "Data (acquisition)",
    "Data.Create": "Data (creation)",
    "Explore": "Explore",
    "Experiment": "Experiment",
    "Model": "Model",
}


def rendered_headings(body: str) -> list[tuple[int, str]]:
    return [(len(m[1]), m[2].strip()) for m in re.finditer(r"^(#{1,6}) (.+)$", body, re.MULTILINE)]


# -- issue types, templates, labels -----------------------------------------------------------


def test_five_issue_types_match_the_labels_of_dslp(
    spec_types: dict[str, tuple[str, str, list[SpecSection]]],
) -> None:
    assert {label for label, _, _ in spec_types.values()} == {t.value for t in IssueType}
    assert len(IssueType) == 5


def test_six_templates_one_per_dslp_row(spec_types: dict[str, tuple[str, str, list[SpecSection]]]) -> None:
    assert len(TEMPLATES) == 6
    assert {TEMPLATE_ROW[t.key] for t in TEMPLATES} == set(spec_types)
    for template in TEMPLATES:
        label, title, _ = spec_types[TEMPLATE_ROW[template.key]]
        assert template.type.value == label
        expected_title = "" if title == "free" else title.strip("`")
        assert template.title_pattern == expected_title, template.key


@pytest.mark.parametrize("key", list(TEMPLATE_ROW))
def test_template_sections_are_dslps_in_order(
    key: str, spec_types: dict[str, tuple[str, str, list[SpecSection]]]
) -> None:
    template = next(t for t in TEMPLATES if t.key == key)
    spec = spec_types[TEMPLATE_ROW[key]][2]
    assert [(s.level, s.heading) for s in template.sections] == [(s.level, s.heading) for s in spec]
    # the rendered body (what the issue and the .github template hold) has the same headings
    assert rendered_headings(render_body(template)) == [(s.level, s.heading) for s in spec]


@pytest.mark.parametrize("key", list(TEMPLATE_ROW))
def test_reference_lines_sit_in_the_sections_dslp_names(
    key: str, spec_types: dict[str, tuple[str, str, list[SpecSection]]]
) -> None:
    template = next(t for t in TEMPLATES if t.key == key)
    body = render_body(template, guidance=False)
    for section in spec_types[TEMPLATE_ROW[key]][2]:
        heading_line = f"{'#' * section.level} {section.heading}"
        after = body.split(heading_line + "\n", 1)[1]
        own_text = re.split(r"^#{1,6} ", after, maxsplit=1, flags=re.MULTILINE)[0]
        for marker in section.markers:
            assert marker in own_text, f"{key}: {marker} missing under {heading_line}"
        if section.markers:  # "starts ***Ask Reference:*** #N": the first marker opens the section
            assert own_text.lstrip().startswith(section.markers[0])


def test_explore_has_our_prompted_by_and_related_pr_lines(dslp: str) -> None:
    assert "`***Prompted by:***`" in dslp and "`***Related PR:***`" in dslp
    explore = template_for(IssueType.EXPLORE)
    description = render_body(explore).split("## Goals")[0]
    assert PROMPTED_BY in description and RELATED_PR in description


def test_the_eleven_labels_of_dslp(dslp: str) -> None:
    rows = table_rows(dslp, "| label | kind |")
    expected = [(r[0], r[1], r[2], r[3]) for r in rows]
    assert len(expected) == 11
    assert [(label.name, label.kind, label.color, label.description) for label in LABELS] == expected
    for label in LABELS:
        assert re.fullmatch(r"[0-9a-f]{6}", label.color)


def test_issue_type_parse_and_of_labels() -> None:
    assert IssueType.parse(" explore ") is IssueType.EXPLORE
    assert IssueType.parse("ASK") is IssueType.ASK
    with pytest.raises(InvalidInput) as err:
        IssueType.parse("Deploy")
    assert "Ask, Data, Explore, Experiment, Model" in (err.value.hint or "")
    assert issue_type_of(["on hold", "Experiment", "Ask"]) is IssueType.EXPERIMENT
    assert issue_type_of(["explore"]) is None  # labels are exact case
    assert issue_type_of([]) is None


def test_data_template_follows_title_or_variant() -> None:
    assert template_for(IssueType.DATA, "Create churn Dataset").key == "Data.Create"
    assert template_for(IssueType.DATA, "Get churn Dataset").key == "Data.Acquisition"
    assert template_for(IssueType.DATA, "Get churn", variant="creation").key == "Data.Create"
    with pytest.raises(InvalidInput):
        template_for(IssueType.DATA, "x", variant="nonsense")


def test_template_file_front_matter_names_type_label() -> None:
    for template in TEMPLATES:
        text = template_file(template)
        front, body = text.split("---\n", 2)[1:]
        fields = dict(line.split(": ", 1) for line in front.strip().splitlines())
        assert fields["name"] == template.name
        assert fields["labels"] == template.type.value
        assert fields["title"] == f"'{template.title_pattern}'"
        assert rendered_headings(body) == [(s.level, s.heading) for s in template.sections]


# -- rendering bodies ---------------------------------------------------------------------


def test_render_body_fills_sections_and_references() -> None:
    experiment = template_for(IssueType.EXPERIMENT)
    body = render_body(
        experiment,
        {"description": "Try gradient boosting.", "METRICS": "AUC > 0.8"},
        references={ASK_REFERENCE: 3, EXPERIMENT_HISTORY: "runs/abc"},
    )
    assert body.startswith("## Description\n\n***Ask Reference:*** #3\n\nTry gradient boosting.\n")
    assert "## Metrics\n\nAUC > 0.8\n" in body
    assert "***Experiment History:*** runs/abc" in body
    assert "***Related PR:***\n" in body  # an empty reference line stays, ready to fill
    assert "<!--" in body.split("## Assumptions")[1]  # unfilled sections keep their guidance
    assert body.endswith("\n") and not body.endswith("\n\n")
    assert ask_of(body) == 3


def test_render_body_without_guidance_has_no_comments() -> None:
    assert "<!--" not in render_body(template_for(IssueType.ASK), guidance=False)


def test_unknown_section_is_invalid_input_listing_the_valid_ones() -> None:
    with pytest.raises(InvalidInput) as err:
        render_body(template_for(IssueType.MODEL), {"Steps": "x", "Bogus": "y"})
    assert "'bogus'" in err.value.message
    assert "Description" in (err.value.hint or "") and "Steps" in (err.value.hint or "")


# -- references in bodies (generated and edited by hand) -------------------------------------


def test_references_in_a_rendered_model_body() -> None:
    body = render_body(template_for(IssueType.MODEL), references={ASK_REFERENCE: 4, BASED_ON_EXPERIMENT: 9})
    assert references_in(body) == {ASK_REFERENCE: 4, BASED_ON_EXPERIMENT: 9}
    assert ask_of(body) == 4


def test_explore_prompted_by_counts_as_its_ask() -> None:
    body = render_body(template_for(IssueType.EXPLORE), references={PROMPTED_BY: 2})
    assert ask_of(body) == 2


@pytest.mark.parametrize(
    "body",
    [
        "***Ask Reference:*** #12",
        "## Description\r\n\r\n***Ask Reference:*** #12\r\nmore text\r\n",
        "  ***Ask Reference:***   #12  (the churn question)",
        "***Ask Reference:***\t#12",
        "***ask reference:*** #12",
        "**Ask Reference:** #12",
        "***Ask Reference***: #12",
        "- ***Ask Reference:*** #12",
        "> ***Ask Reference:*** #12",
        "***Ask Reference:*** https://forge.example.invalid/acme/churn/issues/12",
        "***Ask Reference:*** https://forge.example.invalid/acme/churn/-/issues/12",
    ],
)
def test_hand_edited_ask_references_are_understood(body: str) -> None:
    assert ask_of(body) == 12
    assert references_in(body) == {ASK_REFERENCE: 12}


@pytest.mark.parametrize(
    "body",
    [
        "",
        "***Ask Reference:***",  # left empty
        "***Ask Reference:*** #",
        "***Ask Reference:*** TBD",
        "See the Ask Reference: #12 somewhere in prose",
        "```\n***Ask Reference:*** #12\n```",  # inside a code block: an example, not a reference
    ],
)
def test_bodies_without_a_reference(body: str) -> None:
    assert ask_of(body) is None


def test_first_reference_wins_and_the_ask_reference_beats_prompted_by() -> None:
    body = "***Prompted by:*** #5\n***Ask Reference:*** #7\n***Ask Reference:*** #8\n"
    assert references_in(body) == {PROMPTED_BY: 5, ASK_REFERENCE: 7}
    assert ask_of(body) == 7


# -- branches ------------------------------------------------------------------------------


def test_branch_prefixes_are_dslps(dslp: str) -> None:
    prefixes = set(re.findall(r"`([a-z]+)/\{n\}-\{slug\}`", dslp))
    assert prefixes == {"data", "explore", "experiment", "model"}
    assert "a feature\nbranch is `{n}-{slug}`" in dslp or "branch is `{n}-{slug}`" in dslp
    for issue_type in IssueType:
        name = branch_name(issue_type, 7, "Churn by region")
        if issue_type.branch_prefix is None:
            assert name == "7-churn-by-region"
        else:
            assert issue_type.branch_prefix in prefixes
            assert name == f"{issue_type.branch_prefix}/7-churn-by-region"


TITLES = [
    ("Churn by region", "churn-by-region"),
    ("What's up?! (v2) -- pricing & margins", "what-s-up-v2-pricing-margins"),
    ("Ünïcödé café naïve", "unicode-cafe-naive"),
    ("Straße in Köln", "strasse-in-koln"),
    ("   leading and trailing   ", "leading-and-trailing"),
    ("CamelCase_and_snake_case", "camelcase-and-snake-case"),
    ("2024 Q3 numbers", "2024-q3-numbers"),
    ("数据探索", "issue"),
    ("📈📉", "issue"),
    ("", "issue"),
    ("---", "issue"),
]


@pytest.mark.parametrize(("title", "slug"), TITLES)
def test_slugs(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize("issue_type", [*IssueType, None])
@pytest.mark.parametrize(("title", "slug"), TITLES)
def test_branch_names_round_trip(issue_type: IssueType | None, title: str, slug: str) -> None:
    name = branch_name(issue_type, 42, title)
    parsed = parse_branch(name)
    assert parsed is not None
    assert parsed.number == 42 and parsed.slug == slug
    expected_type = None if issue_type in (None, IssueType.ASK) else issue_type
    assert parsed.type == expected_type
    assert parsed.name == name
    assert re.fullmatch(r"([a-z]+/)?42-[a-z0-9]+(-[a-z0-9]+)*", name)


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    title = "An unusually long exploration title about seasonal churn in every region of the company"
    slug = slugify(title)
    full = "-".join(re.findall(r"[a-z0-9]+", title.lower()))
    assert 0 < len(slug) <= 48
    assert full.startswith(slug) and full[len(slug)] == "-"  # a whole-word prefix
    one_long_word = "x" * 100
    assert slugify(one_long_word) == "x" * 48
    assert parse_branch(branch_name(IssueType.MODEL, 3, title)) == BranchRef(IssueType.MODEL, 3, slug)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("explore/12-churn", BranchRef(IssueType.EXPLORE, 12, "churn")),
        ("data/1-get-sales-dataset", BranchRef(IssueType.DATA, 1, "get-sales-dataset")),
        ("experiment/300-x", BranchRef(IssueType.EXPERIMENT, 300, "x")),
        ("model/5-", BranchRef(IssueType.MODEL, 5, "")),
        ("explore/12", BranchRef(IssueType.EXPLORE, 12, "")),
        ("12-feature-work", BranchRef(None, 12, "feature-work")),
        ("main", None),
        ("feature/12-x", None),
        ("explore/churn", None),
        ("explore/12_churn", None),
        ("refs/heads/explore/12-x", None),
        ("", None),
    ],
)
def test_parse_branch(name: str, expected: BranchRef | None) -> None:
    assert parse_branch(name) == expected
