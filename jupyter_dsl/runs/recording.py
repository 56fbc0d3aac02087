"""Values a notebook records for its run, and where it writes its files.

Inside a notebook: ``jupyter_dsl.record("auc", 0.91)`` shows the value and leaves it in the cell's
outputs as a display bundle with our own MIME type; after the run the values are harvested from the
output notebook (scrapbook's ``glue`` outputs too). Numbers become metrics; strings and small JSON
are kept as they are; a pandas DataFrame is kept as a table; a matplotlib figure as a PNG image.
``jupyter_dsl.run_dir()`` is the folder whose files become the run's artifacts.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import math
import os
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InvalidInput

MIME = "application/vnd.jupyter-dsl.record+json"
RUN_DIR_ENV = "JUPYTER_DSL_RUN_DIR"
RUN_ID_ENV = "JUPYTER_DSL_RUN_ID"
SCRAPBOOK_PREFIX = "application/scrapbook.scrap."
MAX_JSON_BYTES = 64_000
MAX_TABLE_CELLS = 20_000

_SCRATCH: Path | None = None
RECORDED: dict[str, dict[str, Any]] = {}  # what record() kept when no kernel was there to display it


def run_dir() -> Path:
    """The folder for this run's files: every file written here becomes an artifact of the run.

    Outside ``jupyter dsl run`` (working interactively) it is a scratch folder that is not recorded.
    """
    global _SCRATCH
    given = os.environ.get(RUN_DIR_ENV)
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        return path
    if _SCRATCH is None:
        _SCRATCH = Path(tempfile.mkdtemp(prefix="jupyter-dsl-scratch-"))
        warnings.warn(
            f"not in a recorded run: files written to {_SCRATCH} are not recorded",
            stacklevel=2,
        )
    return _SCRATCH


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item) and type(value).__module__.startswith("numpy") and getattr(value, "ndim", 1) == 0:
        unwrapped = item()
        return unwrapped if isinstance(unwrapped, (int, float)) and not isinstance(unwrapped, bool) else None
    return None


def _is_dataframe(value: Any) -> bool:
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(value, (pandas.DataFrame, pandas.Series))


def _is_figure(value: Any) -> bool:
    figure = sys.modules.get("matplotlib.figure")
    return figure is not None and isinstance(value, figure.Figure)


def encode(name: str, value: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the payload under our MIME type, the other MIME parts a front end shows)."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"a recorded value needs a name (a non-empty string), got {name!r}")
    number = _number(value)
    if number is not None:
        if isinstance(number, float) and not math.isfinite(number):
            return {"name": name, "kind": "number", "value": str(number)}, {
                "text/plain": f"{name} = {number}"
            }
        return {"name": name, "kind": "number", "value": number}, {"text/plain": f"{name} = {number!r}"}
    if isinstance(value, str):
        return {"name": name, "kind": "text", "value": value}, {"text/plain": f"{name} = {value}"}
    if _is_dataframe(value):
        return _encode_table(name, value)
    if _is_figure(value):
        buffer = io.BytesIO()
        value.savefig(buffer, format="png", bbox_inches="tight")
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        return {"name": name, "kind": "image", "format": "png"}, {
            "image/png": png,
            "text/plain": f"{name}: <figure>",
        }
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            f"cannot record {name!r}: a {type(value).__name__} is not a number, string, JSON value, "
            "DataFrame or matplotlib figure",
            hint="Convert it, or write it to jupyter_dsl.run_dir() to keep it as an artifact.",
        ) from exc
    if len(text) > MAX_JSON_BYTES:
        raise InvalidInput(
            f"cannot record {name!r}: {len(text)} bytes of JSON is more than {MAX_JSON_BYTES}",
            hint="Write large results to jupyter_dsl.run_dir(); they become artifacts of the run.",
        )
    return {"name": name, "kind": "json", "value": json.loads(text)}, {"text/plain": f"{name} = {text}"}


def _encode_table(name: str, value: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    frame = value.to_frame() if value.ndim == 1 else value
    if frame.size > MAX_TABLE_CELLS:
        raise InvalidInput(
            f"cannot record {name!r}: a table of {frame.shape[0]}x{frame.shape[1]} is more than "
            f"{MAX_TABLE_CELLS} cells",
            hint="Record a summary (df.describe()); write the full table to jupyter_dsl.run_dir().",
        )
    table = json.loads(frame.to_json(orient="split", date_format="iso", default_handler=str))
    payload = {"name": name, "kind": "table", "value": table}
    return payload, {"text/html": frame.to_html(), "text/plain": f"{name}:\n{frame.to_string()}"}


def record(name: str, value: Any) -> None:
    """Record ``value`` under ``name`` for this run (the last value recorded under a name wins)."""
    payload, shown = encode(name, value)
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not getattr(shell, "display_pub", None):
        RECORDED[name] = payload
        return
    from IPython.display import display  # lazy: only inside a kernel

    display({MIME: payload, **shown}, raw=True)


# --- harvesting from an output notebook ----------------------------------------------------------


@dataclass(frozen=True)
class RecordedValue:
    name: str
    kind: str  # number | text | json | table | image
    value: Any  # for an image: base64 PNG (moved to an artifact by the run)
    cell: int  # its cell's position in the executed notebook (a run's record numbers it in the input one)
    source: str = "jupyter_dsl"  # or "scrapbook"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "cell": self.cell, "source": self.source}


def _from_ours(payload: Any, data: dict[str, Any], cell: int) -> RecordedValue | None:
    if not isinstance(payload, dict) or "name" not in payload:
        return None
    kind = str(payload.get("kind", "json"))
    value = payload.get("value")
    if kind == "number" and isinstance(value, str):
        value = float(value)
    if kind == "image":
        value = data.get("image/png")
    return RecordedValue(str(payload["name"]), kind, value, cell)


def _from_scrapbook(mime: str, payload: Any, cell: int) -> RecordedValue | None:
    if not isinstance(payload, dict) or "name" not in payload:
        return None
    encoder = mime[len(SCRAPBOOK_PREFIX) :].split("+", 1)[0]
    data = payload.get("data")
    if encoder == "json" and isinstance(data, str):
        with contextlib.suppress(json.JSONDecodeError):
            data = json.loads(data)
    if encoder == "pandas":
        try:
            import pandas  # lazy: only for a value that is a DataFrame

            frame = pandas.read_parquet(io.BytesIO(base64.b64decode(str(data))))
            data = json.loads(frame.to_json(orient="split", date_format="iso", default_handler=str))
        except Exception as exc:  # pandas/pyarrow missing or a corrupt payload: keep what we know
            return RecordedValue(
                str(payload["name"]), "text", f"<unreadable pandas scrap: {exc}>", cell, "scrapbook"
            )
        return RecordedValue(str(payload["name"]), "table", data, cell, "scrapbook")
    kind = "number" if _number(data) is not None else "text" if isinstance(data, str) else "json"
    return RecordedValue(str(payload["name"]), kind, data, cell, "scrapbook")


def harvest(node: Any) -> dict[str, RecordedValue]:
    """Every value recorded in an executed notebook (``nbformat`` node), the last one per name winning."""
    found: dict[str, RecordedValue] = {}
    for index, cell in enumerate(node.get("cells", [])):
        for output in cell.get("outputs", []) or []:
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = output.get("data", {}) or {}
            for mime, payload in data.items():
                value: RecordedValue | None = None
                if mime == MIME:
                    value = _from_ours(payload, data, index)
                elif mime.startswith(SCRAPBOOK_PREFIX):
                    value = _from_scrapbook(mime, payload, index)
                if value is not None:
                    found[value.name] = value
            shown = (output.get("metadata", {}) or {}).get("scrapbook", {})
            if isinstance(shown, dict) and shown.get("display") and "image/png" in data:
                name = str(shown.get("name", ""))
                if name and name not in found:
                    found[name] = RecordedValue(name, "image", data["image/png"], index, "scrapbook")
    return found
