"""The story on the demo project: `jupyter dsl demo` prints the story command, which works as printed
(real runs, a real batch, a real completion); `site` and `%dsl story` in a real kernel on it too."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from kernel_support import Kernel, plain
from runs_support import ENV, dsl, dsl_json
from test_story import Page, assert_inert_and_offline

STORY_HEADER = "The story of the Ask, in one page:"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    where = tmp_path_factory.mktemp("demo")
    result = dsl(where, "demo", "churn", timeout=600)
    return where / "churn", result.stdout


def test_the_demo_prints_the_story_command_and_it_works_as_printed(demo: tuple[Path, str]) -> None:
    root, stdout = demo
    lines = stdout.splitlines()
    command = lines[lines.index(STORY_HEADER) + 1].strip()
    assert command == f"cd {root} && jupyter dsl story 1"
    result = subprocess.run(
        ["bash", "-c", command], env=ENV, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    written = root / "docs" / "story" / "ask-1-why-do-customers-churn.html"
    assert f"wrote {written}" in result.stdout
    page = assert_inert_and_offline(written.read_text())
    words = " ".join(page.text)
    for said in (
        "Customers leave and we notice too late to act.",  # the problem statement
        "#2 Churn by region",
        "West and south churn most",  # the committed findings' TL;DR
        "batch ",  # the timeline has the demo's batch
        "marked complete",
    ):
        assert said in words, said
    hrefs = [a["href"] for a in page.all("a")]
    assert "../../notebooks/explore_churn.ipynb" in hrefs
    assert "../findings/2-churn-by-region.md" in hrefs
    for href in hrefs:
        assert (written.parent / href).resolve().exists(), href


def test_the_demo_storys_data_issue_lists_the_dataset_version_it_added(demo: tuple[Path, str]) -> None:
    root, _ = demo
    added = dsl_json(root, "data", "show", "customers@1.0.0")
    story = dsl_json(root, "story", "1", "--to", "md", "--out", str(root / "story-md"))
    (issue,) = story["story"]["issues"]["Data"]
    assert issue["number"] == added["issue"]
    assert [(v["name"], v["version"]) for v in issue["versions"]] == [("customers", "1.0.0")]
    text = next((root / "story-md").glob("ask-1-*.md")).read_text()
    assert "| customers | 1.0.0 |" in text


def test_the_site_of_the_demo(demo: tuple[Path, str]) -> None:
    root, _ = demo
    report = dsl_json(root, "site")
    assert report["pages"] == ["index.html", "ask-1.html"]
    index = Page((root / "site" / "index.html").read_text())
    assert [a["href"] for a in index.all("a")] == ["ask-1.html"]
    assert dsl_json(root, "site")["written"] == []


@pytest.fixture()
def kernel(demo: tuple[Path, str]) -> Iterator[Kernel]:
    root, _ = demo
    k = Kernel(root / "notebooks", str(root / "notebooks" / "explore_churn.ipynb"))
    status, _, text = k.run("%load_ext jupyter_dsl")
    assert status == "ok", text
    yield k
    k.close()


def test_the_story_magic_writes_the_story(kernel: Kernel, demo: tuple[Path, str], tmp_path: Path) -> None:
    status, outputs, text = kernel.run(f"%dsl story #1 --to md --out {tmp_path}")
    assert status == "ok", text
    written = tmp_path / "ask-1-why-do-customers-churn.md"
    assert f"wrote {written}" in plain(outputs)
    assert "**TL;DR:** West and south churn most" in written.read_text()
    status, _, text = kernel.run("%dsl story 2")
    assert status == "error" and "#2 is Explore, not an Ask" in text
