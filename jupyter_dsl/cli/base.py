"""What every `jupyter dsl` command shares: the group, `--json`, project lookup and error mapping."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from ..dslp.issue_numbers import parse_issue_number
from ..errors import DslError, InsideRun, RunFailed
from ..project.settings import Project, find_project
from .hints import cli_hint

if TYPE_CHECKING:
    from ..trackers import Tracker

F = TypeVar("F", bound=Callable[..., Any])

console = Console(highlight=False, soft_wrap=True)
error_console = Console(stderr=True, highlight=False, soft_wrap=True)


class _Commands(click.Group):
    """The `jupyter dsl` group. A command's module registers it; the modules load when a command
    the group does not hold yet is asked for (or the list is), so `jupyter dsl run` loads only its
    own (``main`` in ``__init__``: start-up time)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        _load_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            _load_commands()
        return super().get_command(ctx, cmd_name)


def _load_commands() -> None:
    from . import load_commands  # the package lists every command module

    load_commands()


@click.group(
    cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(package_name="jupyter-dsl", prog_name="jupyter dsl")
@click.option(
    "-C",
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Run as if started in this directory.",
)
@click.pass_context
def cli(ctx: click.Context, directory: Path | None) -> None:
    """The Data Science Lifecycle Process in Jupyter: issues, linked notebooks, recorded runs."""
    ctx.obj = (directory or Path.cwd()).resolve()


def json_option(func: F) -> F:
    """Add ``--json``: print one JSON document on stdout instead of the human report."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


class IssueNumberType(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.2 (we take 8.1)
    """An issue number as users write it, ``4`` or ``#4`` (the core's one parser)."""

    name = "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        what = param.get_error_hint(ctx) if param is not None and ctx is not None else "the issue number"
        return parse_issue_number(str(value), what.replace("'", ""))


ISSUE_NUMBER = IssueNumberType()


def working_dir() -> Path:
    ctx = click.get_current_context()
    root = ctx.find_root().obj
    return root if isinstance(root, Path) else Path.cwd()


def resolve_path(path: str | Path) -> Path:
    """A user-given path, relative to ``-C`` (or the current directory)."""
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else working_dir() / candidate


def open_project(near: Path | None = None) -> Project:
    return find_project(near if near is not None else working_dir())


def open_project_tracker(near: Path | None = None) -> tuple[Project, Tracker]:
    project = open_project(near)
    from ..trackers import open_tracker  # lazy: `jupyter dsl run` starts without the trackers' stack

    return project, open_tracker(project)


def show_offline(tracker: Tracker) -> None:
    """Say so when the tracker answered from its cache because the forge was unreachable."""
    if tracker.offline_as_of:
        console.print(f"offline, as of {tracker.offline_as_of}", style="yellow", markup=False)


def emit(as_json: bool, payload: Any, human: Callable[[], None]) -> None:
    """Print ``payload`` as JSON for scripts, or call ``human`` to print the readable report."""
    if as_json:
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        human()


def report_error(exc: DslError, as_json: bool) -> None:
    said = cli_hint(exc.advice)
    if as_json:
        body = {"error": {"type": type(exc).__name__, "message": exc.message, "hint": said}}
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    error_console.print(f"[bold red]error:[/] {escape(exc.message)}", markup=True, highlight=False)
    if said:
        error_console.print(f"[yellow]hint:[/] {escape(said)}", markup=True, highlight=False)


def command_name(args: list[str]) -> str:
    """``jupyter dsl issue new`` for the arguments ``issue new "x"``: the command the arguments name."""
    group: click.Group = cli
    words, values = ["jupyter dsl"], iter(args)
    for arg in values:
        if arg in ("-C", "--directory"):
            next(values, None)
            continue
        command = group.commands.get(arg) if not arg.startswith("-") else None
        if command is None:
            if not arg.startswith("-"):
                break
            continue
        words.append(arg)
        if not isinstance(command, click.Group):
            break
        group = command
    return " ".join(words)


def report_skipped(exc: InsideRun, args: list[str]) -> None:
    """A command refused inside a recorded run: one line (stderr; with ``--json``, a JSON line on
    stdout). Exit status 0: doing nothing is what a run asks of it, so the run's cell goes on."""
    if "--json" in args:
        skipped = {"run": exc.run_id, "action": exc.action, "message": exc.message}
        click.echo(json.dumps({"skipped": skipped}, ensure_ascii=False))
    else:
        click.echo(f"{command_name(args)}: {exc.message}", err=True)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI; a ``DslError`` becomes its message, hint and exit code (never a traceback)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        result = cli.main(args=args, prog_name="jupyter dsl", standalone_mode=False)
    except InsideRun as exc:
        report_skipped(exc, args)
        return exc.exit_code
    except DslError as exc:
        # a run's JSON record is already on stdout: its failure is one line on stderr, not a second document
        already_printed = isinstance(exc, RunFailed) and exc.reported
        report_error(exc, "--json" in args and not already_printed)
        return exc.exit_code
    except click.exceptions.Abort:
        error_console.print("aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        error_console.print("interrupted")
        return 130
    return result if isinstance(result, int) else 0


def config_options(func: Any) -> Any:
    func = click.option(
        "-p",
        "--parameter",
        "overrides",
        nargs=2,
        multiple=True,
        metavar="NAME VALUE",
        help="Set a parameter (VALUE is read as YAML: 3, 0.1, true, null, [1, 2]); wins over -f.",
    )(func)
    return click.option(
        "-f",
        "--config",
        "configs",
        multiple=True,
        type=click.Path(path_type=Path),
        help="A YAML file of parameter values (repeatable; later files win).",
    )(func)
