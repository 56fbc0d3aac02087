"""A run that did not succeed is one DslError, RunFailed, that carries its record and its exit code."""

from __future__ import annotations

import pytest

from jupyter_dsl.cli.hints import cli_hint
from jupyter_dsl.errors import DslError, ExecutionError, RunFailed
from jupyter_dsl.hints import SHOW_RUN, Action
from jupyter_dsl.runs.records import RunRecord


@pytest.mark.parametrize(("status", "code"), [("failed", 7), ("interrupted", 130), ("killed", 143)])
def test_run_failed_carries_the_record_and_the_exit_code_of_its_status(status: str, code: int) -> None:
    record = RunRecord(
        id="20260101-000000-abc123", notebook="nb.ipynb", notebook_hash="0", parameters={}, kernel="k"
    )
    record.status = status
    error = RunFailed(record)
    assert isinstance(error, ExecutionError) and isinstance(error, DslError)
    assert error.record is record and error.exit_code == code
    assert record.id in error.message and error.advice is not None
    assert error.advice.action == Action(SHOW_RUN, {"run": record.id})  # each surface words it
    assert f"`jupyter dsl runs show {record.id}`" in (cli_hint(error.advice) or "")


def test_a_run_stopped_before_its_record_exists_says_so() -> None:
    error = RunFailed(None, status="killed")
    assert error.exit_code == 143 and error.record is None and "before the run was recorded" in error.message


def test_exit_codes_are_per_instance_not_shared() -> None:
    failed, interrupted = RunFailed(None, status="failed"), RunFailed(None, status="interrupted")
    assert (failed.exit_code, interrupted.exit_code, ExecutionError("x").exit_code) == (7, 130, 7)
