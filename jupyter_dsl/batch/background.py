"""A batch driven by a background thread of a long-lived process (the Jupyter server).

``start_batch`` returns once the batch is recorded in the store (so its id can be polled at once)
or raises what stopped it before that. The state of the running batch is read from the store, like
any other batch's, so a reloaded browser or a second tab finds it; cancelling goes through the store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..errors import NotFound
from ..runs.inside_run import refuse_inside_run
from ..runs.store import RunStore
from .driver import BatchOptions, BatchOutcome, BatchPlan, run_batch
from .state import BatchStore

Finished = Callable[[BatchOutcome | None, BaseException | None], None]
_POLL_S = 0.05


def _recorded(runs: RunStore, batch_id: str) -> bool:
    try:
        BatchStore(runs).state(batch_id)
    except NotFound:
        return False
    return True


def start_batch(
    plan: BatchPlan, options: BatchOptions | None = None, *, finished: Finished | None = None
) -> threading.Thread:
    """Run ``plan`` in a daemon thread; return when the batch is in the store. ``finished`` is called
    in that thread with the outcome, or with the exception that ended the driver."""
    refuse_inside_run("start batches")
    failure: list[BaseException] = []

    def drive() -> None:
        outcome: BatchOutcome | None = None
        error: BaseException | None = None
        try:
            outcome = run_batch(plan, options)
        except BaseException as exc:  # reported to the starter or to ``finished``; never lost
            error = exc
            failure.append(exc)
        if finished is not None:
            finished(outcome, error)

    thread = threading.Thread(target=drive, name=f"dsl-batch-{plan.batch_id}", daemon=True)
    thread.start()
    with RunStore(plan.base.project.database_path) as runs:
        while not _recorded(runs, plan.batch_id):
            if not thread.is_alive():
                break
            time.sleep(_POLL_S)
    if failure:
        raise failure[0]
    return thread
