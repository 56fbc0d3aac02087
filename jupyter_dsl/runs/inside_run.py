"""Whether this process runs inside a recorded run, and the one guard that keeps a run from starting
runs or changing the world around it.

``prepare_run`` gives every recorded run's kernel ``JUPYTER_DSL_RUN_ID``, whichever surface or executor
started it (the CLI, the server, a magic, a batch's local or Dask workers, a forked kernel), and every
process the kernel starts inherits it (a ``!jupyter dsl ...`` line). Without the guard, a notebook with a
``%dsl run`` cell reruns itself without end, a batch-run notebook with a ``%dsl batch`` cell starts a batch
in every run, and replaying a run would change the tracker, the notebook or git again.

Every core use case that changes the tracker, a notebook file or git calls :func:`refuse_inside_run`
before its first write; what only reads (status, params, runs, findings, record) does not. Runs,
reruns and batches are started by the run service only (``runs.service``), which calls it once,
before anything else (before planning: a run inside a run says "skipped", not what else is wrong).
"""

from __future__ import annotations

import os

from ..errors import InsideRun
from .recording import RUN_ID_ENV


def current_run() -> str | None:
    """The id of the recorded run this process runs inside (its kernel, or a process that kernel
    started); None outside any run."""
    return os.environ.get(RUN_ID_ENV) or None


def refuse_inside_run(action: str) -> None:
    """Raise :class:`InsideRun` when this process runs inside a recorded run; ``action`` completes "a
    recorded run does not ..." ("start runs", "change the tracker")."""
    run_id = current_run()
    if run_id is not None:
        raise InsideRun(run_id, action)
