"""``GET /jupyter-dsl/story/{n}``: the story of an Ask as data for the main-area tab, its links as Lab
opens them (API paths confined to the server root, run ids for output notebooks, web URLs only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from server_support import GIT_ENV, Api, api, server_config
from story_support import HOSTILE, Generated, experiment_runs, generated_project
from traitlets.config import Config

from jupyter_dsl.runs.store import RunStore

__all__ = ["api"]  # the fixture, imported for pytest


@pytest.fixture
def jp_server_config() -> Config:
    return server_config()


@pytest.fixture
def gen(jp_root_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Generated:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    return generated_project(jp_root_dir / "proj")


def links_in(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [link for item in value for link in links_in(item)]
    if not isinstance(value, dict):
        return []
    if "kind" in value and "run" in value:
        return [value]
    return [link for item in value.values() for link in links_in(item)]


def test_the_story_of_an_ask_links_what_lab_opens(api: Api, gen: Generated) -> None:
    reply = api.get(f"story/{gen.numbers['ask']}", path="proj")
    story = reply["story"]
    assert reply["path"] == "proj" and story["number"] == gen.numbers["ask"]
    assert list(story["issues"]) == ["Data", "Explore", "Experiment", "Model"]
    explore = next(i for i in story["issues"]["Explore"] if i["number"] == gen.numbers["explore"])
    assert explore["findings"] is not None and explore["findings"]["insights"]
    won = next(i for i in story["issues"]["Experiment"] if i["number"] == gen.numbers["won"])
    best = won["experiment"]["best"][0]
    assert best["id"] in gen.runs["won"]
    outputs = [link for link in best["links"] if link["kind"] == "output-notebook"]
    assert [link["run"] for link in outputs] == [best["id"]]
    notebooks = [link for link in best["links"] if link["kind"] == "notebook"]
    assert [link["path"] for link in notebooks] == ["proj/nb/boost.ipynb"]
    links = links_in(story)
    assert links and all(link["url"] is None or link["url"].startswith("http") for link in links)
    assert all(link["run"] is None for link in links if link["kind"] != "output-notebook")
    # every path is an API path inside the root: relative, no `..`
    assert all(not p.startswith("/") and ".." not in p.split("/") for p in (x["path"] for x in links) if p)


def test_hostile_text_is_data_and_javascript_links_are_dropped(api: Api, gen: Generated) -> None:
    story = api.get(f"story/{gen.numbers['hostile_ask']}", path="proj")["story"]
    assert story["title"] == f"Hostile {HOSTILE}"  # text as written: the client escapes or sanitizes it
    assert all(not (link["url"] or "").lower().startswith("javascript") for link in links_in(story))


def test_the_story_follows_a_recorded_run(api: Api, gen: Generated) -> None:
    def runs_of_won() -> int:
        story = api.get(f"story/{gen.numbers['ask']}", path="proj")["story"]
        won = next(i for i in story["issues"]["Experiment"] if i["number"] == gen.numbers["won"])
        return int(won["runs"])

    before = runs_of_won()
    extra = experiment_runs(gen.numbers["won"], "Gradient boosting", "nb/boost.ipynb", True, start=900)[:1]
    with RunStore(gen.project.database_path) as store:
        store.insert_many(extra)
    assert runs_of_won() == before + 1


def test_no_story_of_what_is_no_ask_and_nothing_outside_the_root(api: Api, gen: Generated) -> None:
    not_ask = api.call("GET", f"story/{gen.numbers['explore']}", params={"path": "proj"})
    assert not_ask.code == 400 and "not an Ask" in not_ask.error["message"]
    missing = api.call("GET", "story/999", params={"path": "proj"})
    assert missing.code == 404
    outside = api.call("GET", f"story/{gen.numbers['ask']}", params={"path": "../elsewhere"})
    assert outside.code == 403
    assert api.call("GET", "story/1", params={"path": "proj"}, auth=False).code == 403
