"""A list of recorded runs as every surface reports it: the table of a query plus how many runs match.

``jupyter dsl runs --json`` and ``GET /jupyter-dsl/runs`` give the same payload: ``RunListing.to_json()``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..batch.state import BatchStore
from .records import RunRecord
from .store import RunQuery, RunStore
from .table import RunsTable


@dataclass
class RunListing:
    table: RunsTable
    total: int  # runs matching the query, before the limit

    def to_json(self) -> dict[str, Any]:
        return {**self.table.to_json(), "total": self.total}


def list_runs(database: Path, query: RunQuery) -> RunListing:
    """The runs ``query`` finds, newest first; runs whose recording process is gone are marked first.
    ``query.batch_id`` is a batch's id or any unique part of it (``NotFound`` when no batch has it)."""
    with RunStore(database) as store:
        store.reap()
        if query.batch_id is not None:
            query = replace(query, batch_id=BatchStore(store).find_id(query.batch_id))
        return RunListing(RunsTable.of(store.query(query)), store.count(query))


def show_run(database: Path, run_id: str) -> RunRecord:
    """One run by id or any part of it naming one run (see ``RunStore.find_id``)."""
    with RunStore(database) as store:
        store.reap()
        return store.get(run_id)
