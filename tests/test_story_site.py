"""`jupyter dsl site`: an index and one page per Ask, offline with relative links, rebuilt incrementally
(an unchanged project rewrites nothing; one changed Ask rewrites its page and the index only)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from runs_support import dsl_json
from story_support import Generated, experiment_runs, generated_project
from test_story import Page, assert_inert_and_offline

from jupyter_dsl.runs.store import RunStore
from jupyter_dsl.story.site import build_site


@pytest.fixture()
def gen(tmp_path: Path) -> Generated:
    return generated_project(tmp_path / "proj")


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's (inode, mtime in ns): a rewrite (atomic: a new file renamed over) changes both."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_the_site_is_an_index_and_a_page_per_ask_offline_and_relative(gen: Generated) -> None:
    report = dsl_json(gen.root, "site")
    site = gen.root / "site"
    asks = [gen.numbers[k] for k in ("ask", "empty_ask", "hostile_ask")]
    assert report["pages"] == ["index.html", *[f"ask-{n}.html" for n in asks]]
    assert sorted(report["written"]) == sorted(report["pages"])
    index = assert_inert_and_offline((site / "index.html").read_text())
    assert [a["href"] for a in index.all("a")] == [f"ask-{n}.html" for n in asks]
    rows = " ".join(index.text)
    assert "Why do customers churn?" in rows and "Which customers come back?" in rows
    for name in report["pages"][1:]:
        page = assert_inert_and_offline((site / name).read_text())
        for href in (a["href"] for a in page.all("a") if not a["href"].startswith("#")):
            assert not re.match(r"^[a-z]+:", href) and not href.startswith("/"), href  # relative, offline
            assert (site / href).resolve().exists(), href
    ask_page = Page((site / f"ask-{gen.numbers['ask']}.html").read_text())
    assert "index.html" in [a["href"] for a in ask_page.all("a")]


def test_an_unchanged_rebuild_writes_nothing(gen: Generated) -> None:
    site = gen.root / "site"
    build_site(gen.project, gen.tracker, site)
    before = snapshot(site)
    report = build_site(gen.project, gen.tracker, site)
    assert (report.written, report.removed) == ([], [])
    assert snapshot(site) == before


def test_one_changed_ask_rewrites_its_page_and_the_index_only(gen: Generated) -> None:
    site = gen.root / "site"
    build_site(gen.project, gen.tracker, site)
    number = gen.numbers["empty_ask"]
    gen.tracker.edit(number, title="Which customers come back, and when?")
    before = snapshot(site)
    report = build_site(gen.project, gen.tracker, site)
    assert sorted(report.written) == sorted([f"ask-{number}.html", "index.html"])
    after = snapshot(site)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == sorted(report.written)
    assert "Which customers come back, and when?" in (site / "index.html").read_text()


def test_a_new_run_rewrites_the_page_of_its_ask(gen: Generated) -> None:
    site = gen.root / "site"
    build_site(gen.project, gen.tracker, site)
    before = snapshot(site)
    extra = experiment_runs(gen.numbers["won"], "Gradient boosting", "nb/boost.ipynb", True, start=600)[:1]
    extra[0].metrics = {"auc": 0.99, "loss": 0.01}
    with RunStore(gen.project.database_path) as store:
        store.insert_many(extra)
    report = build_site(gen.project, gen.tracker, site)
    assert f"ask-{gen.numbers['ask']}.html" in report.written
    assert f"ask-{gen.numbers['empty_ask']}.html" not in report.written
    assert (
        snapshot(site)[f"ask-{gen.numbers['hostile_ask']}.html"]
        == before[f"ask-{gen.numbers['hostile_ask']}.html"]
    )
    assert extra[0].id in (site / f"ask-{gen.numbers['ask']}.html").read_text()


def test_a_page_changed_on_disk_is_written_again_and_full_rewrites_only_what_differs(gen: Generated) -> None:
    site = gen.root / "site"
    build_site(gen.project, gen.tracker, site)
    page = site / f"ask-{gen.numbers['ask']}.html"
    page.write_text("edited by hand")
    assert build_site(gen.project, gen.tracker, site).written == [page.name]
    assert build_site(gen.project, gen.tracker, site, full=True).written == []
