"""The DSLP model: issue types, their templates, the label table and branch names.

Pure data and string functions: no I/O, no surfaces. DSLP.md (shared) is the reference; the
templates follow its section tables, with our ``***Prompted by:***`` / ``***Related PR:***`` lines
added to the Explore description and an ``***Ask Reference:***`` line to the Data templates' Reference
(the Ask lists its Data issues under Datasets, so a Data issue names its Ask like an Experiment does).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from .errors import InvalidInput


class IssueType(str, Enum):
    """The five DSLP issue types; the value is also the label, in its exact case."""

    ASK = "Ask"
    DATA = "Data"
    EXPLORE = "Explore"
    EXPERIMENT = "Experiment"
    MODEL = "Model"

    @classmethod
    def parse(cls, text: str) -> IssueType:
        """Case-insensitive lookup that names the valid types when it fails."""
        for member in cls:
            if member.value.lower() == text.strip().lower():
                return member
        valid = ", ".join(m.value for m in cls)
        raise InvalidInput(f"unknown issue type {text!r}", hint=f"Valid types: {valid}.")

    @property
    def branch_prefix(self) -> str | None:
        """DSLP names branches of Data/Explore/Experiment/Model work; an Ask has no branch of its own."""
        return None if self is IssueType.ASK else self.value.lower()

    @property
    def links_ask(self) -> bool:
        """Whether the type names an Ask (and the Ask lists it): every type but the Ask itself."""
        return self is not IssueType.ASK


@dataclass(frozen=True)
class Label:
    name: str
    kind: str  # "type" | "status"
    color: str
    description: str


LABELS: tuple[Label, ...] = (
    Label("Ask", "type", "c9ecff", "Define and scope problem and solution"),
    Label("Data", "type", "1c587c", "Get and transform data"),
    Label("Explore", "type", "f0f29b", "Explore and document data to increase understanding"),
    Label("Experiment", "type", "8569c6", "Build features and train models"),
    Label("Model", "type", "0b4e82", "Prepare model for deployment"),
    Label("Deploy", "type", "f79499", "Register, package, and deploy model"),
    Label("Communicate", "type", "f9f345", "Write reports, create dashboards, summarize findings"),
    Label("succeeded", "status", "67d157", "Met its acceptance criteria (Experiment, Model)"),
    Label("failed", "status", "c2021c", "Did not meet its acceptance criteria (Experiment, Model)"),
    Label("on hold", "status", "ffd04f", "Paused"),
    Label("blocked - need access", "status", "ed9a53", "Waiting for access to data or systems"),
)
LABELS_BY_NAME = {label.name: label for label in LABELS}


def issue_type_of(labels: list[str] | tuple[str, ...]) -> IssueType | None:
    """The DSLP type an issue carries by label (the first type label wins)."""
    for name in labels:
        for member in IssueType:
            if member.value == name:
                return member
    return None


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------

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


_KNOWN_MARKERS = {
    m.strip("*:").lower(): m
    for m in (ASK_REFERENCE, BASED_ON_EXPERIMENT, PROMPTED_BY, RELATED_PR, EXPERIMENT_HISTORY)
}
# A reference line as templates write it, or as people edit it by hand: in a list item or a quote,
# any emphasis, the colon inside or outside it, any case; the issue as ``#N`` or as its web address.
_REFERENCE = re.compile(
    r"^[ \t]*(?:(?:[-*+][ \t]+)|(?:>[ \t]*))*"
    r"(?P<open>[*_]{0,3})(?P<marker>[A-Za-z]+(?: [A-Za-z]+){0,4})(?P<inner>:?)(?P<close>[*_]{0,3})"
    r"[ \t]*(?:(?P<outer>:)[ \t]*)?(?:#(?P<number>\d+)|https?://\S*?/issues/(?P<url_number>\d+))(?![\w/])",
    re.MULTILINE,
)
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


def _outside_code_blocks(body: str) -> str:
    """The body with fenced code blocks blanked: a reference shown as an example is not one."""
    kept: list[str] = []
    fence: str | None = None
    for line in body.splitlines():
        match = _FENCE.match(line)
        if match and (fence is None or match.group(1) == fence):
            fence = match.group(1) if fence is None else None
            kept.append("")
        else:
            kept.append("" if fence else line)
    return "\n".join(kept)


def references_in(body: str) -> dict[str, int]:
    """The ``***Marker:*** #N`` references of a body, keyed by the marker as written in templates.

    The first reference of each marker wins. Known markers are also found when edited by hand
    (``**Ask Reference:** #3``, ``- ***ask reference***: <issue URL>``); other markers only in
    the template's own ``***Marker:*** #N`` form.
    """
    found: dict[str, int] = {}
    for m in _REFERENCE.finditer(_outside_code_blocks(body or "")):
        if bool(m["inner"]) == bool(m["outer"]):  # exactly one colon
            continue
        name = " ".join(m["marker"].split())
        known = _KNOWN_MARKERS.get(name.lower())
        if known is None:
            if not (m["open"] == m["close"] == "***" and m["inner"]):
                continue
            known = f"***{name}:***"
        found.setdefault(known, int(m["number"] or m["url_number"]))
    return found


def ask_of(body: str) -> int | None:
    """The Ask an issue body refers to: its Ask Reference, else what prompted it (Explore)."""
    refs = references_in(body)
    ask = refs.get(ASK_REFERENCE)
    return ask if ask is not None else refs.get(PROMPTED_BY)


# ---------------------------------------------------------------------------------------------
# Branches
# ---------------------------------------------------------------------------------------------

_SLUG_MAX = 48
# Letters that Unicode decomposition leaves alone but that have a usual ASCII spelling.
_TRANSLITERATION = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
     "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "\u0131": "i"}
)  # fmt: skip


def slugify(title: str, max_length: int = _SLUG_MAX) -> str:
    """Lower-case ASCII words joined by ``-``; cut at a word boundary; never empty."""
    text = (
        unicodedata.normalize("NFKD", title.translate(_TRANSLITERATION))
        .encode("ascii", "ignore")
        .decode("ascii")
        .lower()
    )
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "issue")


@dataclass(frozen=True)
class BranchRef:
    type: IssueType | None  # None for a feature branch
    number: int
    slug: str

    @property
    def name(self) -> str:
        prefix = self.type.branch_prefix if self.type else None
        return f"{prefix}/{self.number}-{self.slug}" if prefix else f"{self.number}-{self.slug}"


def branch_name(issue_type: IssueType | None, number: int, title: str) -> str:
    """``explore/12-churn-by-region``; an Ask (or no type) gets the feature branch ``12-...``."""
    return BranchRef(issue_type, number, slugify(title)).name


_BRANCH = re.compile(
    r"^(?:(?P<prefix>data|explore|experiment|model)/)?(?P<number>\d+)(?:-(?P<slug>[a-z0-9-]*))?$"
)


def parse_branch(name: str) -> BranchRef | None:
    """The issue a DSLP branch name points at, or None for any other branch."""
    match = _BRANCH.match(name.strip())
    if not match:
        return None
    prefix = match["prefix"]
    issue_type = IssueType.parse(prefix) if prefix else None
    return BranchRef(issue_type, int(match["number"]), match["slug"] or "")
