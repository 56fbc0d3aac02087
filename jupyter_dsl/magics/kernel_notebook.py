"""Which notebook this kernel runs for, now: the kernel's session, and the Jupyter server that started it.

Jupyter Server tells a kernel its notebook once, when it starts it: ``JPY_SESSION_NAME`` is the
notebook's absolute path when the front end names the session (JupyterLab, Notebook 7), else its API
path relative to the server root (the kernel starts in the notebook's folder). Renaming or moving the
notebook in the front end moves its session (``PATCH /api/sessions/ID``) but not the running kernel's
environment. So a kernel a server started asks that server: the server whose info file
(``jpserver-PID.json`` in the runtime folder, what ``jupyter server list`` reads) has the pid that
launched the kernel (``JPY_PARENT_PID``), through its sessions API with the token of that file, for the
session that holds this kernel (the id in the kernel's connection file name, ``kernel-ID.json``).
VS Code sets ``__vsc_ipynb_file__``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..runs.recording import RUN_ID_ENV

ASK_TIMEOUT_S = 5.0  # for the server's answer (it runs on this machine)
_KERNEL_FILE = re.compile(r"kernel-(?P<id>[0-9a-fA-F-]+)\.json")


@dataclass(frozen=True)
class KernelNotebook:
    """The notebook a kernel runs for (``path``, None when unknown), and why, when it is unknown."""

    path: Path | None
    started_for: str = ""  # JPY_SESSION_NAME: the notebook when the kernel started
    server_problem: str = ""  # why the server that started the kernel could not say

    @property
    def moved(self) -> bool:
        """The kernel was started for a notebook that is no longer there (renamed, moved, deleted)."""
        return self.path is None and self.started_for.endswith(".ipynb")


def notebook_of_kernel(
    environ: dict[str, str], user_ns: dict[str, Any], cwd: Path, connection_file: str | None
) -> KernelNotebook:
    """The notebook this kernel runs for, from VS Code, the server that started it or its session
    environment, in that order (never guessed from the cwd).

    ``connection_file``: the kernel's connection file (its name holds the kernel id a server gave it).
    """
    vscode = user_ns.get("__vsc_ipynb_file__")
    if isinstance(vscode, str) and vscode.endswith(".ipynb"):
        return KernelNotebook(Path(vscode).resolve())
    name = environ.get("JPY_SESSION_NAME", "")
    if not name.endswith(".ipynb"):
        return KernelNotebook(None, name)
    problem = ""
    if RUN_ID_ENV not in environ:  # a recorded run's notebook is its own copy: nothing renames it
        asked = _ask_server(environ, connection_file)
        if isinstance(asked, Path):
            return KernelNotebook(asked, name)
        problem = asked or ""
    path = Path(name)
    if path.is_absolute():
        return KernelNotebook(path.resolve() if path.exists() else None, name, problem)
    root = _root_of_api_path(path, cwd)
    candidate = root / path if root is not None else None
    found = candidate if candidate is not None and candidate.exists() else None
    return KernelNotebook(found, name, problem)


def _ask_server(environ: dict[str, str], connection_file: str | None) -> Path | str | None:
    """The notebook the launching server's session of this kernel names now; else why it cannot say
    (text), or None when no server started this kernel or none of its sessions holds it (a kernel
    started without a session) or names a file that is there."""
    info = launching_server(environ)
    match = _KERNEL_FILE.fullmatch(Path(connection_file).name) if connection_file else None
    if info is None or match is None or not info.get("root_dir"):
        return None
    try:
        sessions = _sessions(info)
    except NoAnswer as exc:
        return f"the Jupyter server that started it did not answer: {exc}"
    for session in sessions:
        kernel = session.get("kernel") if isinstance(session, dict) else None
        path = session.get("path") if isinstance(session, dict) else None
        if isinstance(kernel, dict) and kernel.get("id") == match["id"] and isinstance(path, str):
            return _in_root(Path(str(info["root_dir"])).expanduser(), path)
    return None


def _in_root(root: Path, api_path: str) -> Path | None:
    """The file a session's API path names under the server root (a ``drive:`` prefix, as a
    collaborative drive adds, is dropped); None when it is not there."""
    for candidate in (api_path, api_path.partition(":")[2]):
        if candidate and (root / candidate).is_file():
            return (root / candidate).resolve()
    return None


class NoAnswer(Exception):
    """The server's sessions API did not answer (why, in words)."""


def _sessions(info: dict[str, Any]) -> list[Any]:
    """GET /api/sessions of the server ``info`` describes (the token of its info file authorizes it)."""
    import httpx  # lazy: only when a kernel asks its server

    headers = {"Authorization": f"token {info['token']}"} if info.get("token") else {}
    if info.get("sock"):  # a server on a Unix socket
        transport = httpx.HTTPTransport(uds=str(info["sock"]))
        url = f"http://localhost{info.get('base_url') or '/'}api/sessions"
    else:
        transport = httpx.HTTPTransport()
        url = f"{str(info.get('url', '')).rstrip('/')}/api/sessions"  # its url holds its base_url
    try:
        with httpx.Client(transport=transport, timeout=ASK_TIMEOUT_S) as client:
            reply = client.get(url, headers=headers)
        sessions = reply.json() if reply.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        raise NoAnswer(f"{type(exc).__name__}: {exc}") from exc
    if reply.status_code != 200:
        raise NoAnswer(f"GET {url} answered HTTP {reply.status_code}")
    if not isinstance(sessions, list):
        raise NoAnswer(f"GET {url} did not answer a list of sessions")
    return sessions


def launching_server(environ: dict[str, str]) -> dict[str, Any] | None:
    """The info file of the Jupyter server (or classic Notebook server) whose process launched this
    kernel (``JPY_PARENT_PID``), None when there is none."""
    parent = environ.get("JPY_PARENT_PID", "")
    if not parent.isdigit():
        return None
    from jupyter_core.paths import jupyter_runtime_dir  # lazy: only when a kernel asks its server

    runtime = Path(environ.get("JUPYTER_RUNTIME_DIR") or jupyter_runtime_dir())
    for name in (f"jpserver-{parent}.json", f"nbserver-{parent}.json"):
        try:
            info = json.loads((runtime / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(info, dict) and str(info.get("pid")) == parent:
            return info
    return None


def _root_of_api_path(path: Path, cwd: Path) -> Path | None:
    """The server root, from an API path and the kernel's cwd (root/<the path's directory>)."""
    parts = path.parent.parts
    base = cwd.resolve()
    if parts and base.parts[-len(parts) :] != parts:
        return None
    return Path(*base.parts[: len(base.parts) - len(parts)]) if parts else base


def server_root(environ: dict[str, str], cwd: Path) -> Path | None:
    """The root folder of the Jupyter server that started this kernel, when it can be known.

    An API path in ``JPY_SESSION_NAME`` gives the root away (see :func:`_root_of_api_path`); otherwise
    the info file of the server that launched the kernel names its root.
    """
    name = environ.get("JPY_SESSION_NAME", "")
    if not name:
        return None
    if not Path(name).is_absolute():
        return _root_of_api_path(Path(name), cwd)
    info = launching_server(environ)
    return Path(str(info["root_dir"])).expanduser() if info and info.get("root_dir") else None


def connection_file() -> str | None:
    """This kernel's connection file, None outside an ipykernel kernel."""
    try:
        from ipykernel.connect import get_connection_file  # lazy: only inside a kernel

        return get_connection_file()
    except (ImportError, RuntimeError):  # not in a kernel (a plain IPython shell)
        return None
