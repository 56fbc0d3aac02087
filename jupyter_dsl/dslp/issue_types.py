"""The five DSLP issue types (Ask, Data, Explore, Experiment, Model): each is also its label."""

from __future__ import annotations

from enum import Enum

from ..errors import InvalidInput


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
