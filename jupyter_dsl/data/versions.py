"""Semantic versions of named datasets and models, as annotated git tags ``NAME@vX.Y.Z`` (GTO's
convention): they travel with ``git push --tags``, and each tag's message says what it pins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput, NotFound
from ..project import gitrepo

NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")
FIRST = "1.0.0"


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise InvalidInput(
            f"{name!r} is not a dataset or model name",
            hint="Use lower-case letters, digits and dashes, e.g. customers or churn-model.",
        )
    return name


def name_from_path(path: Path) -> str:
    """A default name from a file or folder name: ``Customers 2024.csv`` -> ``customers-2024``."""
    stem = path.name.split(".", 1)[0] if not path.name.startswith(".") else path.name
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "data"


def parse_version(text: str) -> tuple[int, int, int]:
    match = SEMVER.match(text.strip())
    if not match:
        raise InvalidInput(f"{text!r} is not a semantic version", hint="Write it as X.Y.Z, e.g. 1.2.0.")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def format_version(parts: tuple[int, int, int]) -> str:
    return ".".join(str(part) for part in parts)


def bump_patch(version: str) -> str:
    major, minor, patch = parse_version(version)
    return format_version((major, minor, patch + 1))


def split_ref(ref: str) -> tuple[str, str | None]:
    """``customers@1.2.0`` -> (``customers``, ``1.2.0``); ``customers@production`` keeps the alias as
    the version part; ``customers`` -> (``customers``, None)."""
    name, _, version = ref.partition("@")
    check_name(name)
    return name, (version.removeprefix("v") if SEMVER.match(version) else version) or None


@dataclass(frozen=True)
class Version:
    name: str
    version: str
    commit: str  # the commit that holds the pointer
    fields: dict[str, str]  # what the tag's message says (path, md5, size, nfiles, issue, run ...)
    tagged_at: str = ""

    @property
    def tag(self) -> str:
        return tag_name(self.name, self.version)

    @property
    def key(self) -> tuple[int, int, int]:
        return parse_version(self.version)


def tag_name(name: str, version: str) -> str:
    return f"{name}@v{version}"


def message(name: str, version: str, fields: dict[str, str]) -> str:
    lines = [f"{name} {version}", ""] + [f"{key}: {value}" for key, value in fields.items() if value != ""]
    return "\n".join(lines) + "\n"


def _fields(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        key, sep, value = line.partition(": ")
        if sep and key.isidentifier():
            found[key] = value.strip()
    return found


def list_versions(root: Path, name: str | None = None) -> list[Version]:
    """Every tagged version (of ``name``, or of all names), oldest first per name."""
    pattern = f"refs/tags/{name}@v*" if name else "refs/tags/*@v*"
    fmt = "%(refname:strip=2)%00%(*objectname)%00%(taggerdate:iso-strict)%00%(contents)%1e"
    result = gitrepo.git(root, "for-each-ref", f"--format={fmt}", pattern, check=False)
    versions: list[Version] = []
    for chunk in result.stdout.split("\x1e"):
        parts = chunk.strip("\n").split("\x00")
        if len(parts) != 4 or "@v" not in parts[0] or not parts[1]:
            continue  # a lightweight tag, or one not of ours
        tag_name_, commit, when, text = parts
        tag_base, _, raw = tag_name_.rpartition("@v")
        if not NAME.match(tag_base) or not SEMVER.match(raw):
            continue
        versions.append(Version(tag_base, raw, commit, _fields(text), when))
    versions.sort(key=lambda v: (v.name, v.key))
    return versions


def latest(root: Path, name: str) -> Version | None:
    found = list_versions(root, name)
    return found[-1] if found else None


def find_version(root: Path, name: str, version: str) -> Version:
    for candidate in list_versions(root, name):
        if candidate.version == version:
            return candidate
    known = ", ".join(v.version for v in list_versions(root, name)) or "none"
    raise NotFound(f"{name} has no version {version} (versions: {known})")


def create_tag(
    root: Path, name: str, version: str, commit: str, fields: dict[str, str], *, config: Sequence[str] = ()
) -> None:
    gitrepo.git(
        root,
        *config,
        "tag",
        "-a",
        tag_name(name, version),
        commit,
        "-m",
        message(name, version, fields),
        hint="Nothing was tagged; fix what git says, then try again.",
    )
