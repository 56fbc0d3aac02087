"""Keep secrets out of what leaves the machine: exported summaries and posted comments.

The values of environment variables whose names look secret (``*TOKEN*``, ``*SECRET*``,
``*PASSWORD*``, ``*KEY*``), plus those named in ``[findings] scrub_env``, are replaced by
``[redacted]`` wherever they appear. Values shorter than ``MIN_LENGTH`` are left alone: replacing
every ``1`` or ``yes`` of a summary would destroy it and hide no real secret.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

REDACTED = "[redacted]"
MIN_LENGTH = 8
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|KEY", re.IGNORECASE)


@dataclass(frozen=True)
class Redactor:
    secrets: tuple[str, ...]  # longest first, so a secret that contains another goes whole

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, extra_names: Iterable[str] = ()
    ) -> Redactor:
        env = os.environ if environ is None else environ
        names = set(extra_names)
        values = {
            value.strip()
            for name, value in env.items()
            if (SECRET_NAME.search(name) or name in names) and len(value.strip()) >= MIN_LENGTH
        }
        return cls(tuple(sorted(values, key=lambda v: (-len(v), v))))

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def scrub_all(self, value: Any) -> Any:
        """Scrub every string inside dicts, lists and dataclass-free JSON-like values."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            return {k: self.scrub_all(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.scrub_all(v) for v in value)
        return value
