"""Findings summaries against golden files written by hand, and what a summary must never contain."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import pytest
from findings_support import PNG, churn_project

from jupyter_dsl.errors import ConfigError, InvalidInput
from jupyter_dsl.findings import Redactor, build_summary
from jupyter_dsl.findings.export import export_summary
from jupyter_dsl.findings.render import render
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import find_project
from jupyter_dsl.trackers import LocalTracker

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture()
def churn(tmp_path: Path) -> tuple[Path, LocalTracker]:
    """The churn exploration in a project that is not a git repository (no commit in provenance)."""
    root = tmp_path / "proj"
    init_project(root, git=False)
    tracker = LocalTracker(find_project(root).database_path)
    yield churn_project(root, tracker), tracker
    tracker.close_connection()


def test_markdown_summary_matches_the_golden_file_and_writes_its_image(churn, tmp_path: Path) -> None:
    notebook, tracker = churn
    out = tmp_path / "out"
    exported = export_summary(notebook, to="md", out=out, tracker=tracker, redactor=Redactor(()))
    assert exported.written[0] == out / "2-churn-by-region.md"
    assert (out / "2-churn-by-region.md").read_text(encoding="utf-8") == (
        GOLDEN / "2-churn-by-region.md"
    ).read_text(encoding="utf-8")
    image = out / "2-churn-by-region_files" / "insight-1-1.png"
    assert image.read_bytes() == base64.b64decode(PNG)
    assert exported.written == [out / "2-churn-by-region.md", image]


def test_html_summary_matches_the_golden_file_and_is_self_contained(churn, tmp_path: Path) -> None:
    notebook, tracker = churn
    out = tmp_path / "out"
    exported = export_summary(notebook, to="html", out=out, tracker=tracker, redactor=Redactor(()))
    assert exported.written == [tmp_path / "out" / "2-churn-by-region.html"]  # one file: images inline
    text = exported.written[0].read_text(encoding="utf-8")
    body = text[text.index("<h1>") :]
    assert body == (GOLDEN / "2-churn-by-region.html").read_text(encoding="utf-8")
    head = text[: text.index("<h1>")]
    assert "default-src 'none'; img-src data:" in head
    assert "<title>Churn by region</title>" in head
    # nothing that could make a request: no external src/href, no scripts, no stylesheet links
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", text)
    assert "<script" not in text and "<link" not in text and "alert(1)" not in text


def test_a_notebook_without_findings_says_so_and_renders_the_rest(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Plain notes"), nbformat.v4.new_code_cell("1 + 1")]
    path = tmp_path / "plain.ipynb"
    nbformat.write(nb, path)
    summary = build_summary(path)
    text = render(summary, "md", redactor=Redactor(())).text
    assert text.startswith("# Plain notes\n\n**TL;DR:** No findings were recorded in this notebook.\n")
    assert "_This notebook records no findings yet" in text
    assert "## Provenance\n\n- Notebook: `plain.ipynb`\n" in text
    html = render(summary, "html", redactor=Redactor(())).text
    assert "This notebook records no findings yet" in html


def test_markdown_and_code_findings_pair_up_and_answers_match_goals(churn) -> None:
    notebook, tracker = churn
    summary = build_summary(notebook, tracker=tracker)
    assert [i.title for i in summary.insights] == [
        "West churns most",
        "First-year customers churn twice as often",
        "Sample size",
    ]
    assert [len(i.artifacts) for i in summary.insights] == [1, 1, 1]
    assert [(g.text, g.done, g.answered_by) for g in summary.goals] == [
        ("churn rate by region", False, [1]),
        ("churn rate by tenure bucket", True, [2]),
    ]


def test_a_project_template_overrides_the_built_in_one(churn, tmp_path: Path) -> None:
    notebook, tracker = churn
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "summary.md.j2").write_text(
        "{{ title }}: {% for i in insights %}[{{ i.title }}]{% endfor %}\n", encoding="utf-8"
    )
    summary = build_summary(notebook, tracker=tracker)
    assert render(summary, "md", redactor=Redactor(()), template_dir=folder).text == (
        "Churn by region: [West churns most][First-year customers churn twice as often][Sample size]"
    )  # trim_blocks: the line break after a block tag goes
    # the HTML template is not overridden there: the built-in one is used
    html = render(summary, "html", redactor=Redactor(()), template_dir=folder).text
    assert "<h1>Churn by region</h1>" in html
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "summary.md.j2").write_text("{% for %}", encoding="utf-8")
    with pytest.raises(ConfigError, match="template error"):
        render(summary, "md", redactor=Redactor(()), template_dir=broken)
    with pytest.raises(ConfigError, match="not a folder"):
        render(summary, "md", redactor=Redactor(()), template_dir=tmp_path / "missing")
    with pytest.raises(InvalidInput, match="unknown summary format"):
        render(summary, "pdf", redactor=Redactor(()))
