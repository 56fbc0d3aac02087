"""The server extension's settings (``c.JupyterDSL.*``): traitlets with help and validation, read by the
handlers; given in the server's config, in a real ``jupyter_server_config.py`` and on the command line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from runs_support import make_project
from server_support import Api, api, server_config
from traitlets import TraitError
from traitlets.config import Config

from jupyter_dsl.server import JupyterDSL
from jupyter_dsl.server.handlers.jobs import run_service

__all__ = ["api"]  # the fixture, imported for pytest

HOLD = "nb/batch_hold.ipynb"
THREE = {"path": HOLD, "grid": {"n": "0, 1, 2"}, "parameters": {"hold": "x"}}
SETTINGS = ("workers", "max_workers", "preview_sets", "jobs_kept", "max_configs", "batches_listed")


def test_the_defaults_are_the_limits_the_server_always_had() -> None:
    app = JupyterDSL()
    assert app.workers == (os.cpu_count() or 1)
    assert (app.max_workers, app.preview_sets, app.jobs_kept, app.max_configs, app.batches_listed) == (
        64,
        500,
        100,
        200,
        20,
    )
    for name in SETTINGS:  # each is configurable and says what it is
        trait = app.traits()[name]
        assert trait.metadata.get("config") is True, name
        assert trait.help, name


@pytest.mark.parametrize("name", SETTINGS)
@pytest.mark.parametrize("value", [0, -2])
def test_a_zero_or_negative_setting_is_a_trait_error_naming_it(name: str, value: int) -> None:
    said = rf"^JupyterDSL\.{name} must be a whole number of at least 1, not {value}$"
    with pytest.raises(TraitError, match=said):
        JupyterDSL(config=Config({"JupyterDSL": {name: value}}))
    app = JupyterDSL()
    with pytest.raises(TraitError, match=rf"^JupyterDSL\.{name} must be"):
        setattr(app, name, value)


@pytest.fixture
def jp_root_dir(tmp_path: Path) -> Path:
    return make_project(tmp_path / "root", "batch_hold.ipynb")


def preview_lists(api: Api, count: int) -> None:
    reply = api.call("POST", "batches/preview", THREE)
    assert reply.code == 200, reply.body
    assert reply.json["count"] == 3  # every set is still counted
    assert len(reply.json["sets"]) == count


def refuses_workers_above(api: Api, limit: int) -> None:
    reply = api.call("POST", "batches/preview", {**THREE, "workers": limit + 1})
    assert reply.code == 400, reply.body
    assert reply.error["message"].startswith(f"field 'workers' must be a whole number from 1 to {limit} ")
    assert api.call("POST", "batches/preview", {**THREE, "workers": limit}).code == 200


def extension(serverapp: Any) -> JupyterDSL:
    app = serverapp.web_app.settings["jupyter_dsl"]
    assert isinstance(app, JupyterDSL)
    return app


class TestInTheServersConfig:
    @pytest.fixture
    def jp_server_config(self) -> Config:
        c = server_config()
        c.JupyterDSL.workers = 3
        c.JupyterDSL.max_workers = 4
        c.JupyterDSL.preview_sets = 2
        c.JupyterDSL.max_configs = 1
        return c

    def test_the_handlers_and_the_run_pool_use_them(
        self, api: Api, jp_serverapp: Any, jp_root_dir: Path
    ) -> None:
        preview_lists(api, 2)
        refuses_workers_above(api, 4)
        assert extension(jp_serverapp).workers == 3
        assert run_service(jp_serverapp.web_app.settings).workers == 3
        for name in ("a.yaml", "b.yaml"):
            (jp_root_dir / name).write_text("alpha: 1\n", encoding="utf-8")
        found = api.get("configs")
        assert len(found["configs"] + found["grids"]) == 1


class TestInAConfigFile:
    @pytest.fixture
    def jp_server_config(self, jp_config_dir: Path) -> Config:
        (jp_config_dir / "jupyter_server_config.py").write_text(
            "c.JupyterDSL.preview_sets = 1\nc.JupyterDSL.max_workers = 8\n", encoding="utf-8"
        )
        return server_config()

    def test_jupyter_server_config_py_sets_them(self, api: Api) -> None:
        preview_lists(api, 1)
        refuses_workers_above(api, 8)


class TestOnTheCommandLine:
    @pytest.fixture
    def jp_server_config(self) -> Config:
        return server_config()

    @pytest.fixture
    def jp_argv(self) -> list[str]:
        return ["--JupyterDSL.workers=5", "--JupyterDSL.preview_sets=2"]

    def test_options_set_them(self, api: Api, jp_serverapp: Any) -> None:
        preview_lists(api, 2)
        refuses_workers_above(api, 64)  # the default stays
        assert extension(jp_serverapp).workers == 5
        assert run_service(jp_serverapp.web_app.settings).workers == 5
