"""`jupyter dsl sync`: share the local issues (and, once runs travel, run records) through git."""

from __future__ import annotations

import click

from ..errors import Conflict
from ..issues.sync import sync_project
from .base import cli, console, emit, json_option, open_project


@cli.command("sync")
@click.option(
    "--remote", metavar="NAME", help="The git remote (default: [branches] remote, or the only one)."
)
@click.option("--dry-run", is_flag=True, help="Only say what would come in and go out (git ls-remote).")
@json_option
def sync_command(remote: str | None, dry_run: bool, as_json: bool) -> None:
    """Fetch the remote's issues, merge them with this clone's, push what the remote lacks (never forced).

    Issues live in git refs (refs/dsl/issues/*), whatever the branch. Example: jupyter dsl sync
    """
    result = sync_project(open_project(), remote, dry_run=dry_run)

    def human() -> None:
        for line in result.issues.lines():
            console.print(line, markup=False)

    emit(as_json, result.to_json(), human)
    if result.issues.push_error:
        raise Conflict(f"{result.issues.remote} refused the push", hint="Fix what git says, then sync again.")
