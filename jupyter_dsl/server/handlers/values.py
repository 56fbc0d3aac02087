"""``/jupyter-dsl/values/{path}`` (check parameter values) and ``/jupyter-dsl/configs`` (YAML files:
config files, and the grid files a batch takes).

The sidebar's parameters form sends what the user typed as text, exactly like ``-p NAME VALUE`` on
the command line, plus the config files picked; the core (``parameters.resolve``) reads and checks
them. Nothing runs and nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ...batch.grid import is_grid_file
from ...errors import DslError, InvalidInput
from ...notebook import parameters
from ...notebook.links import SKIPPED_DIRS
from ...notebook.parameter_problems import TYPED
from ...project.settings import find_project
from .base import FORM, DslHandler

CONFIG_SUFFIXES = (".yaml", ".yml")


def overrides_of(texts: list[str]) -> list[tuple[str, str]]:
    """``name=text`` query values as ``-p`` overrides."""
    pairs = []
    for item in texts:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"set={item!r} is not NAME=VALUE", hint="e.g. ?set=alpha=0.3")
        pairs.append((name.strip(), text))
    return pairs


class ValuesChecker:
    """Checks typed values and config files against a notebook's parameters cell (blocking)."""

    def __init__(self, handler: DslHandler, notebook: Path) -> None:
        self.handler = handler
        self.cell = parameters.inspect(notebook)

    def resolve(self, configs: list[Path], overrides: list[tuple[str, str]]) -> parameters.ResolvedParameters:
        return parameters.resolve(self.cell, configs, overrides, root=self.handler.root_dir)

    def problem(self, configs: list[Path], overrides: list[tuple[str, str]]) -> str | None:
        try:
            self.resolve(configs, overrides)
        except DslError as exc:
            message: str = self.handler.error_body(exc)["message"]
            return message
        return None

    def check(self, configs: dict[str, Path], overrides: list[tuple[str, str]]) -> dict[str, Any]:
        try:
            resolved = self.resolve(list(configs.values()), overrides)
        except DslError as exc:
            said = self.handler.error_body(exc)
            return {
                "valid": False,
                "message": said["message"],
                "hint": said["hint"],
                "values": {},
                "sources": {},
                "coerced": {},
                # each value and file alone, so the form can put each message beside its field
                "errors": {
                    name: msg for name, text in overrides if (msg := self.problem([], [(name, text)]))
                },
                "config_errors": {
                    shown: msg for shown, path in configs.items() if (msg := self.problem([path], []))
                },
            }
        sources = {name: FORM if source == TYPED else source for name, source in resolved.sources.items()}
        return {
            "valid": True,
            "message": None,
            "hint": None,
            "values": resolved.values,
            "sources": sources,
            "coerced": resolved.coerced,
            "errors": {},
            "config_errors": {},
        }


class ValuesHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self, api_path: str) -> None:
        notebook = self.resolve(api_path)
        overrides = overrides_of(self.get_query_arguments("set"))
        configs = {self.normalized(p): self.resolve(p) for p in self.get_query_arguments("config")}
        self.reply(await self.blocking(lambda: ValuesChecker(self, notebook).check(configs, overrides)))


def config_files(root: Path, top: Path, allow_hidden: bool, most: int) -> list[Path]:
    """YAML files under ``top`` (a project root), skipping tool folders, sorted, at most ``most``."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and (allow_hidden or not d.startswith(".")))
        for name in sorted(files):
            if name.endswith(CONFIG_SUFFIXES) and (allow_hidden or not name.startswith(".")):
                path = Path(folder, name)
                if path.resolve().is_relative_to(root):
                    found.append(path)
        if len(found) >= most:
            break
    return found[:most]


class ConfigsHandler(DslHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        start = self.query_path()
        allow_hidden = bool(getattr(self.contents_manager, "allow_hidden", False))
        most = self.limits.max_configs

        def work() -> dict[str, Any]:
            project = find_project(start)
            root = self.root_dir
            top = project.root if project.root.resolve().is_relative_to(root) else root
            found = [(self.api_path(p), is_grid_file(p)) for p in config_files(root, top, allow_hidden, most)]
            return {
                "configs": [shown for shown, grid in found if shown is not None and not grid],
                "grids": [shown for shown, grid in found if shown is not None and grid],
            }

        self.reply(await self.blocking(work))
