"""Finds a DSLP project and loads ``dsl.toml`` into typed settings.

The project root is the nearest ancestor of a path that holds ``dsl.toml``, else the git root
(with default settings). Everything relative in the settings is relative to that root.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import hints
from ..errors import ConfigError, InvalidInput, ProjectNotFound

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAME = "dsl.toml"
STATE_DIR = ".dsl"


@dataclass(frozen=True)
class TrackerSettings:
    kind: str = "local"
    repo: str = ""  # "owner/name" (GitHub)
    project: str = ""  # "group/name" or a numeric id (GitLab)
    api_url: str = ""  # empty: the forge's public API; set it for GitHub Enterprise / self-managed GitLab
    timeout: float = 30.0
    rate_limit_wait: float = 60.0  # seconds to wait in total for a rate limit to reset before failing
    sync: str = "manual"  # local issues in git: "auto" syncs them with the remote after every change


@dataclass(frozen=True)
class RunsSettings:
    store: str = ".dsl/dsl.sqlite"  # the SQLite run index (and local issues)
    artifacts: str = ".dsl/artifacts"  # an fsspec URL or a path relative to the root
    mlflow_tracking_uri: str = ""
    executor: str = "local"
    kernel: str = ""  # kernel name; empty: the notebook's own kernelspec


@dataclass(frozen=True)
class BranchSettings:
    base: str = "main"
    remote: str = "origin"  # where `jupyter dsl pr` pushes the DSLP branch


@dataclass(frozen=True)
class BatchSettings:
    workers: int = 0  # 0: one per core
    scheduler: str = ""  # Dask scheduler address for executor = "dask"
    executor: str = ""  # "local" or "dask" (or an installed executor); empty: [runs] executor


@dataclass(frozen=True)
class FindingsSettings:
    dir: str = "docs/findings"  # where `complete` writes summaries (committed: docs belong in git)
    template: str = ""  # a folder with summary.md.j2 / summary.html.j2 that override ours
    scrub_env: tuple[str, ...] = ()  # more environment variables whose values never leave the machine


@dataclass(frozen=True)
class DataSettings:
    store: str = ""  # where dataset and model bytes go (any fsspec URL); empty: <[runs] artifacts>/data


@dataclass(frozen=True)
class Settings:
    tracker: TrackerSettings = field(default_factory=TrackerSettings)
    runs: RunsSettings = field(default_factory=RunsSettings)
    branches: BranchSettings = field(default_factory=BranchSettings)
    batch: BatchSettings = field(default_factory=BatchSettings)
    findings: FindingsSettings = field(default_factory=FindingsSettings)
    data: DataSettings = field(default_factory=DataSettings)
    name: str = ""


_SECTIONS: dict[str, type[Any]] = {
    "tracker": TrackerSettings,
    "runs": RunsSettings,
    "branches": BranchSettings,
    "batch": BatchSettings,
    "findings": FindingsSettings,
    "data": DataSettings,
}


@dataclass(frozen=True)
class Project:
    root: Path
    settings: Settings
    config_path: Path | None  # None: a git repository without dsl.toml, on defaults

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    def resolve(self, location: str) -> str:
        """A settings location as a usable path or URL: relative paths hang off the root."""
        if "://" in location:
            return location
        path = Path(location).expanduser()
        return str(path if path.is_absolute() else self.root / path)

    @property
    def template_dir(self) -> Path | None:
        """The folder of summary templates that override the built-in ones, if the project has one."""
        given = self.settings.findings.template
        return Path(self.resolve(given)) if given else None

    @property
    def database_path(self) -> Path:
        return Path(self.resolve(self.settings.runs.store))

    def relative(self, path: Path) -> str:
        """A path inside the project, as a POSIX path relative to the root (for records and links)."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError as exc:
            raise InvalidInput(f"{path} is outside the project {self.root}") from exc


def git_root(start: Path) -> Path | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=start,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def find_project(start: Path | str | None = None) -> Project:
    """The project that holds ``start`` (a file or directory; default: the current directory)."""
    here = Path(start or Path.cwd()).expanduser().resolve()
    directory = here if here.is_dir() else here.parent
    if not directory.exists():
        raise ProjectNotFound(f"{here} does not exist")
    for candidate in (directory, *directory.parents):
        config = candidate / CONFIG_NAME
        if config.is_file():
            return Project(candidate, load_settings(config), config)
    root = git_root(directory)
    if root is not None:
        return Project(root.resolve(), Settings(), None)
    raise ProjectNotFound(
        f"{here} is not inside a DSLP project (no {CONFIG_NAME} above it and no git repository)",
        hint=hints.hint(
            "Make its folder a DSLP project first (the demo project shows a worked example).",
            hints.INIT,
            directory=directory,
        ),
    )


def load_settings(path: Path) -> Settings:
    """Parse and validate ``dsl.toml``; errors name the file, the line or the key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    return settings_from_dict(data, source=str(path))


def settings_from_dict(data: dict[str, Any], source: str = CONFIG_NAME) -> Settings:
    kwargs: dict[str, Any] = {}
    project_table = data.get("project", {})
    if not isinstance(project_table, dict):
        raise ConfigError(f"{source}: [project] must be a table")
    unknown_project = set(project_table) - {"name"}
    if unknown_project:
        raise ConfigError(
            f"{source}: unknown key(s) in [project]: {', '.join(sorted(unknown_project))}",
            hint="Valid keys: name",
        )
    name = project_table.get("name", "")
    if not isinstance(name, str):
        raise ConfigError(f"{source}: [project] name must be a str, got {type(name).__name__} {name!r}")
    kwargs["name"] = name
    for key, table in data.items():
        if key == "project":
            continue
        if key not in _SECTIONS:
            raise ConfigError(
                f"{source}: unknown section [{key}]",
                hint=f"Valid sections: project, {', '.join(_SECTIONS)}",
            )
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [{key}] must be a table")
        kwargs[key] = _section(_SECTIONS[key], key, table, source)
    settings = Settings(**kwargs)
    _check_tracker(settings.tracker, source)
    if settings.batch.workers < 0:
        raise ConfigError(f"{source}: [batch] workers must be 0 (one per core) or more")
    return settings


def _check_tracker(tracker: TrackerSettings, source: str) -> None:
    if tracker.kind == "github" and not tracker.repo:
        raise ConfigError(f'{source}: [tracker] kind = "github" needs repo = "owner/name"')
    if tracker.kind == "gitlab" and not (tracker.project or tracker.repo):
        raise ConfigError(
            f'{source}: [tracker] kind = "gitlab" needs project = "group/name" (or its numeric id)'
        )
    if tracker.sync not in ("manual", "auto"):
        raise ConfigError(f'{source}: [tracker] sync must be "manual" or "auto", not {tracker.sync!r}')
    if tracker.rate_limit_wait < 0:
        raise ConfigError(f"{source}: [tracker] rate_limit_wait must be 0 or more seconds")
    if tracker.timeout <= 0:
        raise ConfigError(f"{source}: [tracker] timeout must be a positive number of seconds")


def _section(cls: type[Any], name: str, table: dict[str, Any], source: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(
                f"{source}: unknown key [{name}] {key}",
                hint=f"Valid keys of [{name}]: {', '.join(fields)}",
            )
        expected = type(fields[key].default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # noqa: PLW2901 (TOML writes 10 for 10.0)
        if expected is tuple:  # a TOML array of strings
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{source}: [{name}] {key} must be a list of strings, got {value!r}")
            value = tuple(value)  # noqa: PLW2901
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            got = f"{type(value).__name__} {value!r}"
            raise ConfigError(f"{source}: [{name}] {key} must be a {expected.__name__}, got {got}")
        values[key] = value
    return cls(**values)


DEFAULT_CONFIG = """\
# jupyter-dsl project settings. Secrets never go here: tokens come from GITHUB_TOKEN / GH_TOKEN /
# GITLAB_TOKEN or the forge's own CLI login.

[project]
name = "{name}"

[tracker]
# "local" keeps issues in the repository's git refs (no account, no network; `jupyter dsl sync`
# shares them); "github" or "gitlab" use the forge.
kind = "local"
# sync = "manual"         # "auto": local issues sync with the git remote after each change
# repo = "owner/name"      # GitHub
# project = "group/name"  # GitLab (or its numeric id)
# api_url = ""            # GitHub Enterprise or self-managed GitLab API base URL
# rate_limit_wait = 60    # seconds to wait for a forge's rate limit to reset before failing

[runs]
# store = ".dsl/dsl.sqlite"   # run index (SQLite)
# artifacts = ".dsl/artifacts" # any fsspec URL: s3://bucket/prefix, gs://..., memory://...
# mlflow_tracking_uri = ""     # mirror every run to MLflow (pip install jupyter-dsl[mlflow])

[branches]
base = "main"
# remote = "origin"       # where `jupyter dsl pr` pushes the branch
"""
