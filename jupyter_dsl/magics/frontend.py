"""Talking to the front end that shows this kernel's notebook.

``%load_ext jupyter_dsl`` says hello over a comm (target ``jupyter_dsl``); the JupyterLab extension
answers ``{"frontend": ...}`` and then applies the link edits we send over that comm to the open
notebook's document model. Writing the file instead, behind the editor's back, would make the
editor's next save clash with the file on disk ("File Changed").

The answer comes on the shell channel, which ipykernel does not process while a cell runs: with
"Run All", ``%dsl link`` may run before it is handled. ipykernel 7.4+ routes every comm reply in its
shell-channel thread through the comm's ``_reply_subshell_for`` hook, so we observe the answer there
(the only place that sees it during a cell) and wait for it briefly. Without that hook (older
ipykernel) the answer is seen between cells, by the comm's ``on_msg`` handler.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._version import __version__
from ..errors import Conflict
from ..notebook.document import NotebookLink
from ..runs.inside_run import current_run

COMM_TARGET = "jupyter_dsl"
LINK_MIME = "application/vnd.jupyter-dsl.link+json"
HELLO_WAIT_S = 5.0  # how long after the hello a link waits for the front end's answer
WRITE_HINT = "or add --write to write the file anyway (then choose Revert when the editor says it changed)"


@dataclass
class FrontEnd:
    """What we know about the front end of this kernel's notebook (one per kernel)."""

    channel: Any = None  # the comm of our hello; None: no hello said (no front end to ask)
    said_hello_at: float = 0.0  # time.monotonic() of the hello
    name: str | None = None  # set once the front end answered
    closed: bool = False  # the front end closed the comm: it cannot apply our edits
    answered: threading.Event = field(default_factory=threading.Event)

    def take(self, data: Any) -> None:
        """A message from the front end (called from whichever thread sees it first)."""
        if isinstance(data, dict) and data.get("frontend"):
            self.name = str(data["frontend"])
            self.answered.set()

    def wait_for_answer(self) -> None:
        """Wait until the front end answered, for at most HELLO_WAIT_S after the hello."""
        if self.channel is None or self.closed:
            return
        self.answered.wait(max(0.0, self.said_hello_at + HELLO_WAIT_S - time.monotonic()))


FRONTEND = FrontEnd()


def attach(ipython: Any) -> None:
    """Say hello to the front end over a comm, if this shell runs in a kernel a Jupyter server started."""
    if getattr(ipython, "kernel", None) is None or "JPY_SESSION_NAME" not in os.environ:
        return  # papermill, a console, a plain kernel: no editor has the notebook open
    if current_run() is not None:
        return  # `jupyter dsl run` sets JPY_SESSION_NAME for the magics, but nothing shows the run
    try:
        from comm import create_comm  # lazy: only inside a kernel
    except ImportError:  # pragma: no cover - ipykernel always brings comm
        return
    global FRONTEND
    front = FRONTEND = FrontEnd(said_hello_at=time.monotonic())
    channel = create_comm(target_name=COMM_TARGET, data={"hello": "jupyter_dsl", "version": __version__})
    channel.on_msg(lambda msg: front.take(msg.get("content", {}).get("data")))

    def on_close(msg: dict[str, Any]) -> None:
        front.closed = True

    channel.on_close(on_close)
    route = getattr(channel, "_reply_subshell_for", None)
    if callable(route):

        def observe(data: Any, default: Any) -> Any:
            front.take(data)
            return route(data, default)

        setattr(channel, "_reply_subshell_for", observe)  # noqa: B010 (a private hook, see above)
    front.channel = channel


def edits_in_editor(path: Path, current: Path | None, write: bool) -> bool:
    """Whether a link edit of ``path`` goes to the editor (True) or to the file (False).

    Raises Conflict, before anything is written, when an editor may have the notebook open but cannot
    apply the edit (it did not answer our hello, or closed it), unless ``write`` asks for the file.
    """
    front = FRONTEND
    if front.channel is None or current != path:
        return False
    front.wait_for_answer()
    if front.name is not None and not front.closed:
        return True
    if write:
        return False
    if front.closed:
        raise Conflict(
            f"{path.name} is open in a front end without the jupyter-dsl extension: "
            "not writing the file behind its back",
            hint=f"Enable the jupyter-dsl JupyterLab extension, {WRITE_HINT}.",
        )
    raise Conflict(
        f"{path.name} may be open in a front end that did not answer the jupyter-dsl hello within "
        f"{HELLO_WAIT_S:g} s: not writing the file behind its back",
        hint=f"Run this cell again (the answer is handled between cells), {WRITE_HINT}.",
    )


def send_edit(action: str, link: NotebookLink | None) -> None:
    """Send a link edit to the front end that answered our hello; it applies it to the open notebook."""
    FRONTEND.channel.send({"action": action, "link": link.to_json() if link else None})


def link_bundle(action: str, link: NotebookLink | None, text: str) -> dict[str, Any]:
    return {LINK_MIME: {"action": action, "link": link.to_json() if link else None}, "text/plain": text}


def show_link(action: str, link: NotebookLink | None, text: str) -> None:
    from IPython.display import display  # lazy: only inside a kernel

    display(link_bundle(action, link, text), raw=True)
