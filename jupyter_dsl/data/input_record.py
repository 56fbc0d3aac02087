"""A run's inputs as recorded: how ``jupyter_dsl.dataset`` leaves them in the output notebook, how they
are read back into the run's record, and what differs between two runs' inputs. Light on purpose:
the run and rerun code import it on every run."""

from __future__ import annotations

from typing import Any

MIME = "application/vnd.jupyter-dsl.input+json"


def harvest(node: Any) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The datasets an executed notebook read (name -> what was noted) and a warning per dataset whose
    local files differed from their recorded version."""
    found: dict[str, dict[str, Any]] = {}
    for cell in node.get("cells", []):
        for output in cell.get("outputs", []) or []:
            payload = (output.get("data") or {}).get(MIME)
            if isinstance(payload, dict) and isinstance(payload.get("name"), str):
                found[payload["name"]] = dict(payload)
    said = [
        f"dataset {name} {item.get('version') or ''} was read with local files that differ from the recorded "
        f"version: {', '.join(item.get('changed') or [])}"
        for name, item in found.items()
        if item.get("modified")
    ]
    return found, said


def data_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Per dataset read by either run: [old, new] of what differs (version, hash, modified)."""
    changes: dict[str, Any] = {}
    for name in dict.fromkeys([*old, *new]):
        before, after = _compared(old.get(name)), _compared(new.get(name))
        if before != after:
            changes[name] = [before, after]
    return changes


def _compared(item: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if item is None else {key: item.get(key) for key in ("version", "md5", "modified")}
