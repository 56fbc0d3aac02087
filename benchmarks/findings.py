"""Export the findings summary of a 300-cell notebook with 30 figures, against `jupyter nbconvert
--to markdown` and `--to html` on the same notebook, in the same run. Prints times and ratios.

    python benchmarks/findings.py [--repeat 3]

Both sides run as the command a user types (a fresh process each time, so start-up counts on
both sides), and in-process (jupyter-dsl's ``export_summary`` against nbconvert's exporter
classes), medians of ``--repeat`` runs. Every 10th cell is a finding (a tagged markdown cell
followed by a tagged code cell with a 600x400 PNG figure); the rest is code with text outputs.
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat


def figure_png(index: int) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ax.plot([x * (index + 1) % 17 for x in range(50)])
    ax.set_title(f"figure {index}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def make_notebook(path: Path, cells: int = 300, figures: int = 30) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    every = cells // figures
    for index in range(cells):
        if index % every == 0:
            number = index // every
            nb.cells.append(
                nbformat.v4.new_markdown_cell(
                    f"## Insight {number}\n\nRegion {number} churns {number}% more.",
                    metadata={"tags": ["finding"]},
                )
            )
            code = nbformat.v4.new_code_cell(f"plot({number})", metadata={"tags": ["finding"]})
            data = {"image/png": figure_png(number), "text/plain": "<Figure size 600x400 with 1 Axes>"}
            code.outputs = [nbformat.v4.new_output("display_data", data=data)]
            nb.cells.append(code)
            continue
        code = nbformat.v4.new_code_cell(f"x_{index} = sum(range({index}))\nprint(x_{index})")
        code.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{index * 7}\n")]
        nb.cells.append(code)
    nb.cells = nb.cells[:cells]
    nbformat.write(nb, path)


def timed(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def command(*args: str) -> Callable[[], object]:
    return lambda: subprocess.run(args, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        notebook = root / "big.ipynb"
        make_notebook(notebook)
        size = notebook.stat().st_size / 1e6
        cells = len(nbformat.read(notebook, as_version=4).cells)
        print(f"notebook: {cells} cells, 30 figures, {size:.1f} MB")

        from nbconvert import HTMLExporter, MarkdownExporter

        from jupyter_dsl.findings.export import export_summary

        rows = []
        formats = (("md", MarkdownExporter, "markdown"), ("html", HTMLExporter, "html"))
        for to, exporter, nbconvert_to in formats:
            ours_cli = timed(
                command(sys.executable, "-m", "jupyter_dsl", "findings", str(notebook), "--to", to,
                        "--out", str(root / f"dsl-{to}")),
                repeat,
            )  # fmt: skip
            theirs_cli = timed(
                command(sys.executable, "-m", "jupyter", "nbconvert", "--to", nbconvert_to, str(notebook),
                        "--output-dir", str(root / f"nbc-{to}")),
                repeat,
            )  # fmt: skip
            ours = timed(lambda to=to: export_summary(notebook, to=to, out=root / f"in-{to}"), repeat)
            theirs = timed(lambda exporter=exporter: exporter().from_filename(str(notebook)), repeat)
            rows.append((to, ours_cli, theirs_cli, ours, theirs))
        for to, ours_cli, theirs_cli, ours, theirs in rows:
            print(
                f"--to {to:<4} command: jupyter dsl findings {ours_cli * 1000:7.0f} ms, "
                f"jupyter nbconvert {theirs_cli * 1000:7.0f} ms, ratio {theirs_cli / ours_cli:4.1f}x | "
                f"in-process: export_summary {ours * 1000:6.0f} ms, nbconvert exporter "
                f"{theirs * 1000:6.0f} ms, ratio {theirs / ours:4.1f}x"
            )


if __name__ == "__main__":
    main()
