"""The `%dsl` dispatcher: a registry of subcommands, their argument parsing and the session they share.

Each subcommand module registers handlers with :func:`subcommand`; a handler gets the
:class:`MagicSession` and the parsed arguments and returns what the cell should show (or None).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from ..dslp.issue_numbers import parse_issue_number
from ..errors import DslError, InvalidInput, NotFound
from ..project.settings import Project, find_project
from ..runs.service import RunService
from ..trackers import Tracker, open_tracker
from .kernel_notebook import KernelNotebook, connection_file, notebook_of_kernel, server_root

Handler = Callable[["MagicSession", argparse.Namespace], Any]


class MagicArgumentParser(argparse.ArgumentParser):
    """argparse that raises instead of exiting the kernel."""

    def error(self, message: str) -> NoReturn:
        raise InvalidInput(
            f"%dsl {self.prog.split()[-1]}: {message}", hint=f"Usage: {self.format_usage().strip()}"
        )

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise InvalidInput(message or "invalid arguments", hint=self.format_usage().strip())


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    parser: MagicArgumentParser
    handler: Handler


SUBCOMMANDS: dict[str, Subcommand] = {}


def subcommand(
    name: str, help: str, arguments: Callable[[MagicArgumentParser], None] | None = None
) -> Callable[[Handler], Handler]:
    """Register ``%dsl NAME``: ``arguments`` adds argparse arguments to the subcommand's parser."""

    def decorate(handler: Handler) -> Handler:
        parser = MagicArgumentParser(prog=f"%dsl {name}", description=help, add_help=False)
        if arguments is not None:
            arguments(parser)
        SUBCOMMANDS[name] = Subcommand(name, help, parser, handler)
        return handler

    return decorate


_SERVICE: list[RunService] = []


def run_service() -> RunService:
    """This kernel's one run service. A foreground job leaves SIGINT / SIGTERM to the kernel: a
    KeyboardInterrupt still stops a `%dsl run` (recorded as interrupted)."""
    if not _SERVICE:
        _SERVICE.append(RunService(signals=False))
    return _SERVICE[0]


def split_line(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError as exc:
        raise InvalidInput(f"cannot parse the %dsl line: {exc}", hint="Check the quotes.") from exc


@dataclass
class MagicSession:
    """What a magic knows about where it runs: the IPython shell, its notebook and its project."""

    shell: Any
    environ: Callable[[], dict[str, str]] = field(default=lambda: dict(os.environ))
    connection_file: Callable[[], str | None] = field(default=connection_file)
    _tracker: tuple[Path, Tracker] | None = field(default=None, init=False, repr=False)
    _found: KernelNotebook | None = field(default=None, init=False, repr=False)

    def begin(self) -> None:
        """A new ``%dsl`` line: ask again which notebook this kernel runs for (it may have been renamed)."""
        self._found = None

    def kernel_notebook(self) -> KernelNotebook:
        """Which notebook this kernel runs for (asked once per ``%dsl`` line)."""
        if self._found is None:
            self._found = notebook_of_kernel(
                self.environ(), self.shell.user_ns, Path.cwd(), self.connection_file()
            )
        return self._found

    def current_notebook(self) -> Path | None:
        """The notebook this kernel runs for, or None when the kernel cannot tell."""
        return self.kernel_notebook().path

    def notebook(self) -> Path:
        """The notebook this kernel runs for, or a plain error saying we cannot tell (and why)."""
        found = self.kernel_notebook()
        if found.path is not None:
            return found.path
        if found.moved:
            why = f"; {found.server_problem}" if found.server_problem else ""
            raise NotFound(
                f"this kernel cannot tell which notebook it runs in: it was started for "
                f"{found.started_for}, which is no longer there (renamed or moved?){why}",
                hint="Restart the kernel (it then starts for the notebook where it is now), or name the "
                "notebook: `%dsl status --notebook PATH`.",
            )
        raise NotFound(
            "this kernel cannot tell which notebook it runs in",
            hint="Start it from JupyterLab or Jupyter Server, or name the notebook: "
            "`%dsl status --notebook PATH` / `%dsl link N --notebook PATH`.",
        )

    def notebook_or(self, given: str | None) -> Path:
        """``--notebook PATH`` as the user means it (:meth:`user_file`), else the kernel's own notebook."""
        if not given:
            return self.notebook()
        return self.user_file(given, "notebook")

    def user_file(self, given: str, what: str) -> Path:
        """A file the user names in a magic (a notebook, a grid file), as the user means it.

        A relative path is looked up in the kernel's folder, then the Jupyter server root (what the
        file browser shows), then the project root; NotFound lists the places tried.
        """
        path = Path(given).expanduser()
        if path.is_absolute():
            if not path.exists():
                raise NotFound(f"{what} {given} not found", hint="Check the path.")
            return path.resolve()
        tried: list[str] = []
        for place, base in self.notebook_bases():
            candidate = base / path
            if candidate.exists():
                return candidate.resolve()
            tried.append(f"{candidate} ({place})")
        raise NotFound(
            f"{what} {given} not found; looked for {'; '.join(tried)}",
            hint="Give the path relative to one of these folders, or an absolute path.",
        )

    def notebook_bases(self) -> list[tuple[str, Path]]:
        """Where a relative path may be: the kernel's folder, the server root, the project root."""
        cwd = Path.cwd()
        bases = [("the kernel's folder", cwd)]
        root = server_root(self.environ(), cwd)
        if root is not None:
            bases.append(("the Jupyter server root", root))
        with contextlib.suppress(DslError):  # outside a project there is no project root to try
            bases.append(("the project root", self.project().root))
        unique: dict[Path, str] = {}
        for place, base in bases:
            unique.setdefault(base.resolve(), place)
        return [(place, base) for base, place in unique.items()]

    def project(self, near: Path | None = None) -> Project:
        if near is None:
            current = self.current_notebook()
            near = current.parent if current is not None else Path.cwd()
        return find_project(near)

    def tracker(self, project: Project) -> Tracker:
        if self._tracker is None or self._tracker[0] != project.root:
            self._tracker = (project.root, open_tracker(project))
        return self._tracker[1]

    def forget_tracker(self) -> None:
        """Open the tracker anew next time (dsl.toml changed which one it is)."""
        if self._tracker is not None:
            close = getattr(self._tracker[1], "close_connection", None)
            if close is not None:
                close()
        self._tracker = None


def dispatch(session: MagicSession, line: str) -> Any:
    """Run one ``%dsl`` line; raises DslError for the caller to show."""
    session.begin()
    argv = split_line(line)
    if not argv or argv[0] in {"help", "-h", "--help"}:
        return help_text(argv[1] if len(argv) > 1 else None)
    sub = SUBCOMMANDS.get(argv[0])
    if sub is None:
        raise InvalidInput(
            f"unknown %dsl command {argv[0]!r}", hint=f"Commands: {', '.join(sorted(SUBCOMMANDS))}."
        )
    if any(arg in {"-h", "--help"} for arg in argv[1:]):
        return HelpText(sub.parser.format_help())
    return sub.handler(session, sub.parser.parse_args(argv[1:]))


class HelpText(str):
    """Plain text shown as-is (repr without quotes)."""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def help_text(name: str | None = None) -> HelpText:
    if name is not None:
        sub = SUBCOMMANDS.get(name)
        if sub is None:
            raise InvalidInput(
                f"unknown %dsl command {name!r}", hint=f"Commands: {', '.join(sorted(SUBCOMMANDS))}."
            )
        return HelpText(sub.parser.format_help())
    width = max((len(n) for n in SUBCOMMANDS), default=0)
    lines = ["%dsl: the Data Science Lifecycle Process from a notebook.", "", "Commands:"]
    lines += [
        f"  %dsl {sub.name.ljust(width)}  {sub.help}"
        for sub in sorted(SUBCOMMANDS.values(), key=lambda s: s.name)
    ]
    lines += ["", "`%dsl help COMMAND` or `%dsl COMMAND --help` shows a command's options."]
    return HelpText("\n".join(lines))


def add_notebook_argument(parser: MagicArgumentParser) -> None:
    parser.add_argument(
        "--notebook", default=None, help="The notebook (default: the one this kernel runs in)."
    )


def add_write_argument(parser: MagicArgumentParser) -> None:
    parser.add_argument(
        "--write",
        action="store_true",
        help="Write the file even if a front end that did not answer may have the notebook open.",
    )


def issue_number(what: str) -> Callable[[str], int]:
    """An argparse ``type`` for an issue number as users write it, ``4`` or ``#4`` (the core's parser)."""
    return lambda text: parse_issue_number(text, what)


def add_json_argument(parser: MagicArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="Return the data as a dict instead of showing it."
    )


def flags(values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(values or ())


def add_config_arguments(parser: MagicArgumentParser) -> None:
    """``-f CONFIG.yaml`` (repeatable) and ``-p NAME VALUE`` (VALUE read as YAML), as the CLI has them."""
    parser.add_argument(
        "-f", "--config", action="append", default=[], help="A YAML file of parameter values."
    )
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="Set a parameter (VALUE read as YAML).",
    )
