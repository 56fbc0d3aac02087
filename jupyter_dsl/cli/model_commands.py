"""`jupyter dsl models [NAME]` and `jupyter dsl models alias NAME@VERSION ALIAS`: model versions saved by
runs, their runs' metrics, aliases."""

from __future__ import annotations

import click

from ..data.sizes import human_size
from ..errors import InvalidInput
from .base import cli, console, emit, json_option, open_project


@cli.command("models")
@click.argument("words", nargs=-1, metavar="[NAME] | alias NAME@VERSION ALIAS")
@json_option
def models(words: tuple[str, ...], as_json: bool) -> None:
    """Model versions (of NAME), with the run that made each and its metrics; `alias NAME@VERSION
    ALIAS` points ALIAS (e.g. production) at a version, so load_model("NAME@ALIAS") loads it."""
    from ..models.listing import list_models, set_alias  # lazy: the models stack loads only here

    if words[:1] == ("alias",):
        if len(words) != 3:
            raise InvalidInput("usage: jupyter dsl models alias NAME@VERSION ALIAS")
        set_alias(open_project(), words[1], words[2])
        said = f"{words[1].partition('@')[0]}@{words[2]} -> {words[1]}"
        emit(as_json, {"alias": words[2], "version": words[1]}, lambda: console.print(said, markup=False))
        return
    if len(words) > 1:
        raise InvalidInput("usage: jupyter dsl models [NAME]")
    rows = list_models(open_project(), words[0] if words else None)

    def human() -> None:
        if not rows:
            console.print("no models (jupyter_dsl.save_model(model, NAME) in a run saves one)")
        for row in rows:
            run = row["run"] or {}
            metrics = ", ".join(f"{k}={v:g}" for k, v in (run.get("metrics") or {}).items())
            aliases = f" [{', '.join(row['aliases'])}]" if row["aliases"] else ""
            said = f"{row['name']}@v{row['version']}{aliases}  {row['format']} {human_size(row['size'])}"
            console.print(f"{said}  run {row['run_id'] or '-'}  {metrics}", markup=False)

    emit(as_json, rows, human)
