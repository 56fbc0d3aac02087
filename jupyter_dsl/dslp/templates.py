"""The DSLP issue templates: their sections in order, reference lines, and the body and template file
they render.

They follow DSLP.md's section tables, with our ``***Prompted by:***`` / ``***Related PR:***`` lines
added to the Explore description and an ``***Ask Reference:***`` line to the Data templates' Reference
(the Ask lists its Data issues under Datasets, so a Data issue names its Ask like an Experiment does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InvalidInput
from .issue_types import IssueType

ASK_REFERENCE = "***Ask Reference:***"
BASED_ON_EXPERIMENT = "***Based on Experiment:***"
PROMPTED_BY = "***Prompted by:***"
RELATED_PR = "***Related PR:***"
EXPERIMENT_HISTORY = "***Experiment History:***"


@dataclass(frozen=True)
class Section:
    level: int
    heading: str
    guidance: str = ""  # rendered as an HTML comment: invisible on the forge, a prompt in an editor
    references: tuple[str, ...] = ()  # reference lines (``***Ask Reference:***``) that open the section


@dataclass(frozen=True)
class Template:
    key: str  # file stem under .github/ISSUE_TEMPLATE/
    type: IssueType
    name: str
    about: str
    title_pattern: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def section_names(self) -> list[str]:
        return [s.heading for s in self.sections]


_S = Section
# fmt: off
TEMPLATES: tuple[Template, ...] = (
    Template("Ask", IssueType.ASK, "Ask", "Define and scope problem and solution", "", (
        _S(2, "Problem Statement"),
        _S(3, "Desired Outcome", "What should be true when this Ask is answered, and for whom?"),
        _S(3, "Current State", "How is this done today, and what is wrong with it?"),
        _S(2, "Success Criteria"),
        _S(3, "Impact", "What changes for the business or the users if this succeeds?"),
        _S(3, "Metrics", "How success is measured, with target values."),
        _S(3, "Constraints", "Latency, cost, privacy, deadlines, systems that must be used."),
        _S(2, "Solution Architecture", "How the pieces fit together; link docs/solution_architecture.md."),
        _S(2, "Data Requirements"),
        _S(3, "Datasets", "One Data issue per dataset version, as - [ ] #N lines."),
        _S(2, "Understanding and Exploration", "Explore issues and what they found, as - [ ] #N lines."),
        _S(2, "Approaches and Experiments",
           "Experiments, chronological, successful ones first, as - [ ] #N lines."),
        _S(2, "See Also"),
        _S(3, "Background Info", "Research, documents and sources that inform this Ask."),
        _S(3, "Related Projects", "Related projects and repositories."),
    )),
    Template("Data.Acquisition", IssueType.DATA, "Data (acquisition)",
             "Get a dataset from a source system", "Get [name] Dataset", (
        _S(2, "Dataset Description", "What the dataset holds, its grain, its time range and its version."),
        _S(2, "Source system", "Where it comes from and how it is accessed."),
        _S(2, "Reference", "Links to documentation, owners, access requests.", (ASK_REFERENCE,)),
        _S(2, "Known Issues", "Quality problems, gaps, caveats."),
    )),
    Template("Data.Create", IssueType.DATA, "Data (creation)",
             "Create a dataset from other datasets", "Create [name] Dataset", (
        _S(1, "Dataset Name"),
        _S(2, "Dataset Description", "What the dataset holds, its grain, its time range and its version."),
        _S(2, "Parent Sources", "The datasets it is built from, as - [ ] #N lines."),
        _S(2, "Reference", "Links to the pipeline code and documentation.", (ASK_REFERENCE,)),
        _S(2, "Known Issues", "Quality problems, gaps, caveats."),
    )),
    Template("Explore", IssueType.EXPLORE, "Explore",
             "Explore and document data to increase understanding", "", (
        _S(2, "Overview", "What this exploration is about, and why now.", (PROMPTED_BY, RELATED_PR)),
        _S(2, "Goals", "The questions this exploration answers, as a - [ ] checklist."),
        _S(2, "What was discovered during this exploration?",
           "### Insight N: a description and a link to the artifact that shows it."),
        _S(2, "Next Steps", "What should happen next, as issues where possible."),
    )),
    Template("Experiment", IssueType.EXPERIMENT, "Experiment", "Build features and train models", "", (
        _S(2, "Description", "The hypothesis and the approach.", (ASK_REFERENCE,)),
        _S(2, "Metrics", "The metrics and the acceptance threshold."),
        _S(2, "Assumptions", "What is assumed, and what breaks if an assumption is wrong."),
        _S(2, "Results", "TLDR of the outcome.", (EXPERIMENT_HISTORY, RELATED_PR)),
    )),
    Template("Model", IssueType.MODEL, "Model", "Prepare model for deployment", "Implement [name] model", (
        _S(2, "Description", "What is being prepared for deployment.", (ASK_REFERENCE, BASED_ON_EXPERIMENT)),
        _S(2, "Steps", "The work to do, as a - [ ] checklist."),
    )),
)
# fmt: on
TEMPLATES_BY_KEY = {t.key: t for t in TEMPLATES}


def template_for(issue_type: IssueType, title: str = "", variant: str | None = None) -> Template:
    """The template of a type. Data has two: ``variant`` picks one, else the title does
    (``Create ... Dataset`` is a creation, anything else an acquisition)."""
    if issue_type is not IssueType.DATA:
        return TEMPLATES_BY_KEY[issue_type.value]
    if variant is not None:
        key = {"acquisition": "Data.Acquisition", "creation": "Data.Create", "create": "Data.Create"}.get(
            variant.lower()
        )
        if key is None:
            raise InvalidInput(f"unknown Data variant {variant!r}", hint="Use 'acquisition' or 'creation'.")
        return TEMPLATES_BY_KEY[key]
    return TEMPLATES_BY_KEY[
        "Data.Create" if title.strip().lower().startswith("create ") else "Data.Acquisition"
    ]


def render_body(
    template: Template,
    sections: dict[str, str] | None = None,
    *,
    references: dict[str, int | str | None] | None = None,
    guidance: bool = True,
) -> str:
    """Render an issue body from a template.

    ``sections`` maps a heading (any case) to its text, replacing the guidance comment;
    ``references`` maps a reference marker (``ASK_REFERENCE``...) to an issue number or a link.
    Unknown section names are an error that lists the valid ones.
    """
    given = {k.strip().lower(): v for k, v in (sections or {}).items()}
    known = {s.heading.lower() for s in template.sections}
    unknown = sorted(set(given) - known)
    if unknown:
        raise InvalidInput(
            f"{template.name} issues have no section {', '.join(repr(u) for u in unknown)}",
            hint="Sections: " + "; ".join(template.section_names),
        )
    refs = references or {}
    out: list[str] = []
    for section in template.sections:
        out.append(f"{'#' * section.level} {section.heading}")
        out.append("")
        for marker in section.references:
            value = refs.get(marker)
            rendered = "" if value is None else (f"#{value}" if isinstance(value, int) else str(value))
            out.extend([f"{marker} {rendered}".rstrip(), ""])
        text = given.get(section.heading.lower())
        if text:
            out.extend([text.strip(), ""])
        elif guidance and section.guidance:
            out.extend([f"<!-- {section.guidance} -->", ""])
    return "\n".join(out).rstrip() + "\n"


def template_file(template: Template) -> str:
    """The GitHub issue-template file (front matter + body) of a template."""
    front = (
        "---\n"
        f"name: {template.name}\n"
        f"about: {template.about}\n"
        f"title: '{template.title_pattern}'\n"
        f"labels: {template.type.value}\n"
        "assignees: ''\n"
        "---\n\n"
    )
    return front + render_body(template)
