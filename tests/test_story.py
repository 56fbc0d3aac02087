"""The story of an Ask on a generated project: every issue type in DSLP order, findings read from their
committed summary, experiments ranked and charted, sources linked, hostile text inert, secrets scrubbed."""

from __future__ import annotations

import base64
import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from runs_support import ENV, dsl, dsl_json
from story_support import FIGURE, Generated, generated_project

from jupyter_dsl.findings.redact import REDACTED, Redactor
from jupyter_dsl.story.collect import build_story, project_view
from jupyter_dsl.story.export import export_story
from jupyter_dsl.story.model import Story
from jupyter_dsl.story.render import render_story
from jupyter_dsl.story.versions import DATA_MODULE, version_source, versions_of

FINDINGS_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


@pytest.fixture(scope="module")
def gen(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generated_project(tmp_path_factory.mktemp("story") / "proj")


def story_of(gen: Generated, ask: int) -> Story:
    with project_view(gen.project, gen.tracker) as view:
        return build_story(view, ask)


def html_of(gen: Generated, ask: int, directory: Path, redactor: Redactor | None = None) -> str:
    story = story_of(gen, ask)
    return render_story(
        story, "html", root=gen.root, directory=directory, redactor=redactor or Redactor(())
    ).text


class Page(HTMLParser):
    """Every tag and attribute of a page, and its text, as a browser's parser sees them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def assert_inert_and_offline(text: str) -> Page:
    page = Page(text)
    names = {name for name, _ in page.tags}
    assert not names & {"script", "iframe", "object", "embed", "link", "base", "form"}, names
    for name, attrs in page.tags:
        assert not [a for a in attrs if a.startswith("on")], (name, attrs)
        for key in ("href", "src"):
            assert not attrs.get(key, "").strip().lower().startswith("javascript:"), (name, attrs)
    assert all(img["src"].startswith("data:image/") for img in page.all("img"))
    csp = [m["content"] for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert csp == [FINDINGS_CSP]
    return page


def test_the_story_tells_each_type_in_dslp_order_from_its_sources(gen: Generated) -> None:
    n = gen.numbers
    story = story_of(gen, n["ask"])
    assert list(story.issues) == ["Data", "Explore", "Experiment", "Model"]
    assert [i.number for i in story.issues["Explore"]] == [n["explore"], n["explore_empty"]]
    assert "hostile" not in " ".join(i.title for i in story.work).lower()  # another Ask's work stays out
    explore, empty = story.issues["Explore"]
    assert explore.findings is not None  # read from the Explore branch: main has no findings file
    assert not (gen.root / "docs" / "findings").exists()
    assert explore.findings.tldr == "West churns most; tenure matters more than region."
    first = explore.findings.insights[0]
    assert first.title == "West churns most"
    assert [f.data for f in first.figures] == [FIGURE]
    kinds = [s.kind for s in first.figures[0].sources]
    assert kinds == ["findings", "notebook", "commit"]
    assert empty.findings is None and [(g.text, g.done) for g in empty.goals] == [
        ("buckets", True),
        ("seasonality", False),
    ]
    won, lost = story.issues["Experiment"]
    assert won.experiment is not None and lost.experiment is not None
    assert (won.experiment.outcome, lost.experiment.outcome) == ("succeeded", "failed")
    assert won.experiment.tldr == "gradient boosting wins"
    assert won.experiment.metric == "auc" and won.experiment.higher_is_better
    assert sorted(won.experiment.varying) == ["depth", "lr"]  # seed is the same in every run
    best = won.experiment.best[0]
    assert (best.parameters, best.metrics["auc"]) == ({"lr": "3", "depth": "4"}, "0.94")
    assert [link.kind for link in best.links] == ["output-notebook", "notebook", "commit"]
    assert won.experiment.chart_x == "lr"
    assert won.experiment.chart is not None and won.experiment.chart.data.startswith(b"\x89PNG")
    assert (won.experiment.total, won.experiment.failed) == (9, 1)
    assert (lost.experiment.total, lost.experiment.failed) == (8, 7)
    assert lost.experiment.chart is None  # one succeeded run: nothing to draw
    kinds_seen = {event.kind for event in story.timeline}
    assert {"opened", "closed", "completed", "runs"} <= kinds_seen
    assert [e.when for e in story.timeline] == sorted(e.when for e in story.timeline)
    assert story.to_json()["issues"]["Experiment"][0]["experiment"]["best"][0]["id"] == best.id


def test_the_html_story_is_one_self_contained_file_with_every_figure_inline(
    gen: Generated, tmp_path: Path
) -> None:
    text = html_of(gen, gen.numbers["ask"], tmp_path)
    page = assert_inert_and_offline(text)
    sources = [img["src"] for img in page.all("img")]
    assert f"data:image/png;base64,{base64.b64encode(FIGURE).decode()}" in sources
    assert len(sources) == 2  # the finding's figure and the succeeded experiment's chart
    hrefs = [a["href"] for a in page.all("a")]
    assert "../proj/nb/churn.ipynb" in [h.replace(tmp_path.name, "x") for h in hrefs] or any(
        h.endswith("proj/nb/churn.ipynb") for h in hrefs
    )
    words = " ".join(page.text)
    for said in ("Problem Statement", "Gradient boosting", "succeeded", "Timeline", "West churns most"):
        assert said in words


def test_hostile_issue_text_is_shown_as_text_and_never_runs(gen: Generated, tmp_path: Path) -> None:
    text = html_of(gen, gen.numbers["hostile_ask"], tmp_path)
    page = assert_inert_and_offline(text)
    words = "".join(page.text)
    assert '<script>document.title="pwned"</script>' in words  # shown as the text it is
    assert "evil.invalid" not in " ".join(str(attrs) for _, attrs in page.tags)
    assert "[image]" in words  # the remote image is dropped, not fetched


def test_markdown_writes_its_figures_beside_it_and_links_resolve(gen: Generated, tmp_path: Path) -> None:
    out = tmp_path / "md"
    result = dsl_json(gen.root, "story", "#1", "--to", "md", "--out", str(out))
    story_file, *figures = (Path(p) for p in result["written"])
    assert story_file == out / "ask-1-why-do-customers-churn.md"
    assert sorted(f.name for f in figures) == ["issue-2-insight-1-1.png", "issue-5-chart.png"]
    assert figures[0].read_bytes() == FIGURE or figures[1].read_bytes() == FIGURE
    text = story_file.read_text()
    assert "![" in text and "ask-1-why-do-customers-churn_files/issue-2-insight-1-1.png" in text
    assert "(../../proj/nb/churn.ipynb)" not in text or (out / "../../proj/nb/churn.ipynb").exists()
    import re

    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if "://" not in target and "/artifacts/" not in target:
            assert (out / target).resolve().exists(), target


def test_secrets_are_scrubbed_from_the_story(gen: Generated, tmp_path: Path, monkeypatch: Any) -> None:
    secret = "tok-3f9a7c1e5d"
    number = gen.numbers["empty_ask"]
    body = gen.tracker.get(number).body
    gen.tracker.edit(number, body=body.replace("## Problem Statement", f"## Problem Statement\n\n{secret}"))
    try:
        monkeypatch.setenv("STORY_TEST_TOKEN", secret)
        for to in ("html", "md"):
            written = export_story(gen.project, gen.tracker, number, to=to, out=tmp_path / "s")
            text = written.written[0].read_text()
            assert secret not in text and REDACTED in text
            assert secret not in json.dumps(written.to_json())  # what --json prints
    finally:
        gen.tracker.edit(number, body=body)


def test_an_ask_with_no_work_says_so(gen: Generated, tmp_path: Path) -> None:
    story = story_of(gen, gen.numbers["empty_ask"])
    assert story.issues == {} and story.work == []
    words = " ".join(Page(html_of(gen, gen.numbers["empty_ask"], tmp_path)).text)
    assert "No work is linked to this Ask yet." in words


def test_a_story_of_what_is_not_an_ask_is_refused_and_writes_nothing(gen: Generated, tmp_path: Path) -> None:
    out = tmp_path / "never"
    result = dsl(gen.root, "story", "2", "--out", str(out), code=None)
    assert result.returncode != 0 and "#2 is Explore, not an Ask" in result.stderr
    assert dsl(gen.root, "story", "1", "--to", "pdf", "--out", str(out), code=None).returncode != 0
    assert dsl(gen.root, "story", "99", "--out", str(out), code=None).returncode != 0
    assert not out.exists()


def test_the_versions_hook_says_absent_and_reads_a_present_feature(
    gen: Generated, tmp_path: Path, monkeypatch: Any
) -> None:
    assert versions_of(gen.project, gen.numbers["data"], "jupyter_dsl_story_no_such_feature") is None
    if version_source(DATA_MODULE) is None:  # the data feature is not installed here yet
        story = story_of(gen, gen.numbers["ask"])
        assert story.issues["Data"][0].versions is None and not story.data_feature
        words = " ".join(Page(html_of(gen, gen.numbers["ask"], tmp_path)).text)
        assert "Versions are not recorded in this project" in words
    feature = tmp_path / "feature"
    (feature / "story_versions_probe").mkdir(parents=True)
    (feature / "story_versions_probe" / "__init__.py").write_text(
        "def versions_for_issue(project, number):\n"
        "    return [{'name': 'crm', 'version': 'v1', 'run_id': 'r-1', 'commit': 'abc123def4567'}]\n"
    )
    (feature / "story_broken_probe.py").write_text("import jupyter_dsl_story_missing_dependency\n")
    monkeypatch.syspath_prepend(str(feature))
    versions = versions_of(gen.project, gen.numbers["data"], "story_versions_probe")
    assert versions is not None and [(v.name, v.version, v.run) for v in versions] == [("crm", "v1", "r-1")]
    assert [link.kind for link in versions[0].links] == ["run", "commit"]
    with pytest.raises(ModuleNotFoundError):  # a feature that fails inside is not "absent"
        versions_of(gen.project, gen.numbers["data"], "story_broken_probe")
    sys.modules.pop("story_versions_probe", None)


def test_story_json_for_scripts(gen: Generated, tmp_path: Path) -> None:
    result = dsl_json(gen.root, "story", "1", "--out", str(tmp_path / "j"))
    assert result["story"]["number"] == 1 and result["story"]["state"] == "open"
    assert [i["number"] for i in result["story"]["issues"]["Model"]] == [gen.numbers["model"]]
    assert ENV.get("NO_COLOR") == "1"


def test_a_chart_is_drawn_once_and_kept_under_dsl(gen: Generated) -> None:
    first = story_of(gen, gen.numbers["ask"])
    cache = gen.project.database_path.parent / "story-cache"
    charts = {p: p.stat().st_mtime_ns for p in cache.glob("chart-*.png")}
    assert charts  # the succeeded experiment's (the failed one has nothing to draw), maybe others'
    again = story_of(gen, gen.numbers["ask"])
    assert {p: p.stat().st_mtime_ns for p in cache.glob("chart-*.png")} == charts
    chart, same = (s.issues["Experiment"][0].experiment for s in (first, again))
    assert chart is not None and same is not None and chart.chart is not None and same.chart is not None
    assert same.chart.data == chart.chart.data
    assert chart.chart.data in [p.read_bytes() for p in charts]
