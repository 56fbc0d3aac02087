"""DSLP branch names: ``explore/12-churn-by-region`` from an issue, and the issue a branch names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .issue_types import IssueType

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
