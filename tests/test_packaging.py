"""A reproducible install: CI's lint and type tools pinned, runtime ranges bounded, Lab included."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
LINT_AND_TYPE_TOOLS = re.compile(r"^(ruff|mypy|types-.*)$", re.IGNORECASE)


def test_lint_and_type_tools_are_pinned_exactly() -> None:
    tools = [Requirement(r) for r in PROJECT["optional-dependencies"]["test"]]
    tools = [r for r in tools if LINT_AND_TYPE_TOOLS.match(r.name)]
    assert {r.name.lower() for r in tools} >= {"ruff", "mypy", "types-pyyaml"}
    for requirement in tools:
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"{requirement} must be pinned with =="


def test_runtime_dependencies_with_breaking_majors_have_upper_bounds() -> None:
    bounded = {"click", "jupyter_server", "jupyterlab", "nbformat", "nbclient", "papermill", "ipykernel"}
    found = {Requirement(r).name: Requirement(r) for r in PROJECT["dependencies"]}
    for name in bounded:
        assert any(s.operator == "<" for s in found[name].specifier), f"{name} needs an upper bound"


def test_the_first_readme_command_installs_jupyterlab() -> None:
    """`pip install . && jupyter dsl demo` must leave a working `jupyter lab`: the sidebar comes first."""
    names = {Requirement(r).name.lower() for r in PROJECT["dependencies"]}
    assert "jupyterlab" in names
