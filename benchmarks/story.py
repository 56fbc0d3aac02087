"""The story of a big Ask and the site of many, timed: prints times and ratios, asserts none.

    python benchmarks/story.py [--repeat 3]

Story: one Ask with 20 linked issues (4 Data, 6 Explore with committed findings summaries holding 32
figures, 8 Experiments with 250 recorded runs each, so 2,000 runs and 8 charts: 40 figures, and 2
Models), rendered as one self-contained HTML file by ``export_story`` in-process: the first render
(charts drawn with matplotlib, then kept under .dsl/) and later ones (charts from that cache).
Site: 50 Asks (the big one and 49 with two issues and 20 runs each): the first build, a rebuild with
nothing changed, a rebuild after one Ask changed, against ``--full`` (every page built again).
"""

from __future__ import annotations

import argparse
import io
import itertools
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from jupyter_dsl.dslp.issue_types import IssueType
from jupyter_dsl.issues.create import new_issue
from jupyter_dsl.project.scaffold import init_project
from jupyter_dsl.project.settings import Project, find_project
from jupyter_dsl.runs.records import GitInfo, IssueInfo, RunRecord, run_identity
from jupyter_dsl.runs.store import RunStore
from jupyter_dsl.story.export import export_story
from jupyter_dsl.story.site import build_site
from jupyter_dsl.trackers import Tracker, open_tracker

GIT = ["-c", "user.name=bench", "-c", "user.email=bench@bench.invalid"]


def png(index: int) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 4), dpi=100)
    figure.add_subplot().plot([x * (index + 1) % 17 for x in range(50)])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def findings_file(root: Path, number: int, figures: int, first: int) -> None:
    """A committed findings summary in the shape ``jupyter dsl complete`` writes."""
    stem = f"{number}-exploration-{number}"
    folder = root / "docs" / "findings"
    (folder / f"{stem}_files").mkdir(parents=True, exist_ok=True)
    parts = [f"# Exploration {number}\n\n**TL;DR:** finding {number}\n\n## Goals\n\n- [x] question one\n"]
    parts.append("\n## What was discovered during this exploration?\n")
    for k in range(figures):
        (folder / f"{stem}_files" / f"insight-{k + 1}-1.png").write_bytes(png(first + k))
        parts.append(f"\n### Insight {k + 1}: insight {k + 1}\n\nSomething seen.\n\n")
        parts.append(f"![figure {k + 1}]({stem}_files/insight-{k + 1}-1.png)\n")
    parts.append("\n## Provenance\n\n- Notebook: `nb/explore.ipynb`\n")
    (folder / f"{stem}.md").write_text("".join(parts))


def runs_of(issue: int, count: int, start: int) -> list[RunRecord]:
    grid = itertools.product([0.001, 0.01, 0.1, 1.0, 10.0], [2, 4, 6, 8, 10], range(100))
    records = []
    for index, (lr, depth, seed) in zip(range(count), grid, strict=False):
        at = start + index
        run_id = f"20260101-{at // 3600:02d}{at // 60 % 60:02d}{at % 60:02d}-{at:06x}"
        records.append(
            RunRecord(
                id=run_id,
                notebook=f"nb/experiment-{issue}.ipynb",
                notebook_hash="0" * 64,
                parameters={"lr": lr, "depth": depth, "seed": seed},
                kernel="python3",
                status="failed" if index % 10 == 9 else "succeeded",
                identity=run_identity("0" * 64, {"id": run_id}),
                issue=IssueInfo("local", issue, "Experiment", f"experiment {issue}"),
                started_at=f"2026-01-01T{at // 3600 % 24:02d}:{at // 60 % 60:02d}:{at % 60:02d}Z",
                metrics={} if index % 10 == 9 else {"auc": 0.5 + lr / 40 + depth / 100 + seed / 1e4},
                git=GitInfo(commit="c" * 40, branch="main", dirty=False, diff_hash=None),
                artifacts=[f"file:///nowhere/{run_id}/output.ipynb"],
            )
        )
    return records


def big_ask(root: Path, tracker: Tracker, records: list[RunRecord]) -> int:
    ask = new_issue(tracker, IssueType.ASK, "The big question").number
    for k in range(4):
        new_issue(tracker, IssueType.DATA, f"Get dataset {k} Dataset", ask=ask)
    figures = 0
    for k in range(6):
        number = new_issue(tracker, IssueType.EXPLORE, f"Exploration {k}", ask=ask).number
        count = 6 if k < 2 else 5  # 32 figures in all
        findings_file(root, number, count, figures)
        figures += count
    for k in range(8):
        number = new_issue(
            tracker, IssueType.EXPERIMENT, f"Experiment {k}", ask=ask, sections={"Metrics": "auc"}
        ).number
        records += runs_of(number, 250, len(records))
    for k in range(2):
        new_issue(tracker, IssueType.MODEL, f"Implement model {k} model", ask=ask)
    return ask


def make_project(root: Path, asks: int) -> tuple[Project, Tracker, int]:
    init_project(root)
    project = find_project(root)
    tracker = open_tracker(project)
    records: list[RunRecord] = []
    big = big_ask(root, tracker, records)
    for k in range(asks - 1):
        ask = new_issue(tracker, IssueType.ASK, f"Question {k}").number
        new_issue(tracker, IssueType.EXPLORE, f"Look {k}", ask=ask)
        experiment = new_issue(tracker, IssueType.EXPERIMENT, f"Try {k}", ask=ask).number
        records += runs_of(experiment, 20, len(records))
    with RunStore(project.database_path) as store:
        store.insert_many(records)
    subprocess.run(["git", *GIT, "add", "--all"], cwd=root, check=True)
    subprocess.run(["git", *GIT, "commit", "-qm", "bench"], cwd=root, check=True)
    return project, tracker, big


T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def median(repeat: int, action: Callable[[], object]) -> float:
    return statistics.median(timed(action)[0] for _ in range(repeat))


def show(label: str, seconds: float, note: str = "") -> None:
    print(f"{label:<42}{seconds * 1000:8.0f} ms   {note}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        made, (project, tracker, big) = timed(lambda: make_project(root, 50))
        print(f"project: 50 Asks, the big one with 20 issues, 2,000 runs, 40 figures (made in {made:.1f} s)")
        out = root / "story"
        cold, written = timed(lambda: export_story(project, tracker, big, out=out))
        story, size = written.story, written.written[0].stat().st_size
        runs, figures = sum(i.runs for i in story.work), len(story.figures)
        print(f"  the story: {len(story.work)} issues, {runs} runs, {figures} figures, {size / 1e6:.1f} MB")
        warm = median(args.repeat, lambda: export_story(project, tracker, big, out=out))
        show("story, first render (8 charts drawn)", cold)
        show("story, later renders (charts cached)", warm, f"{cold / warm:4.1f}x faster than the first")
        site = root / "site"
        first, report = timed(lambda: build_site(project, tracker, site))
        full = median(args.repeat, lambda: build_site(project, tracker, site, full=True))
        same = median(args.repeat, lambda: build_site(project, tracker, site))
        changes = []
        for k in range(args.repeat):
            tracker.edit(big + 22 + 3 * k, title=f"Question, changed {k}")
            elapsed, again = timed(lambda: build_site(project, tracker, site))
            assert again.written, "a rebuild that wrote nothing measured nothing"
            changes.append(elapsed)
        one = statistics.median(changes)
        show(f"site, first build ({len(report.pages)} pages)", first)
        show("site, --full rebuild", full)
        show("site, rebuild with nothing changed", same, f"{full / same:4.1f}x faster than --full")
        show("site, rebuild after one Ask changed", one, f"{full / one:4.1f}x faster than --full")


if __name__ == "__main__":
    main()
