"""Talking to the front end that shows this kernel's notebook.

The JupyterLab extension registers the comm target ``jupyter_dsl`` and answers our hello. When it
has, a link made by a magic is applied to the open notebook's document model (it arrives as a
display bundle the extension watches for) instead of being written to the file behind the editor's
back, which would make the editor's next save clash with the file on disk. Without that front end
the magic writes the file itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .._version import __version__
from ..notebooks import NotebookLink

COMM_TARGET = "jupyter_dsl"
LINK_MIME = "application/vnd.jupyter-dsl.link+json"


@dataclass
class FrontEnd:
    name: str | None = None  # set once the front end answered our hello

    @property
    def edits_model(self) -> bool:
        return self.name is not None


FRONTEND = FrontEnd()


def attach(ipython: Any) -> None:
    """Say hello to the front end over a comm, if this shell runs in a kernel that has one."""
    if getattr(ipython, "kernel", None) is None or "JPY_SESSION_NAME" not in os.environ:
        return  # not a kernel a Jupyter server started for a notebook (papermill, a console): no editor
    try:
        from comm import create_comm
    except ImportError:  # pragma: no cover - ipykernel always brings comm
        return
    channel = create_comm(target_name=COMM_TARGET, data={"hello": "jupyter_dsl", "version": __version__})

    def on_msg(msg: dict[str, Any]) -> None:
        data = msg.get("content", {}).get("data", {})
        if isinstance(data, dict) and data.get("frontend"):
            FRONTEND.name = str(data["frontend"])

    channel.on_msg(on_msg)


def link_bundle(action: str, link: NotebookLink | None, text: str) -> dict[str, Any]:
    return {LINK_MIME: {"action": action, "link": link.to_json() if link else None}, "text/plain": text}


def show_link(action: str, link: NotebookLink | None, text: str) -> None:
    from IPython.display import display

    display(link_bundle(action, link, text), raw=True)
