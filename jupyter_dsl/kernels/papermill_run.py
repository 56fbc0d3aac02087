"""One run through papermill on a kernel we started: ``papermill.execute_notebook``'s steps, with
what it does per notebook done once per notebook content.

papermill reads and validates its input (a notebook node is written out and read back), asks the
kernel's translator which parameters the notebook declares (to warn about unknown ones) and then
parameterizes a copy. A batch's runs share one notebook: ``papermill_node`` does the reading once
per content (keyed by its hash); a run deep-copies that node and continues with papermill's own
functions (parameterize, metadata, the engine, its error check). Unknown parameters cannot reach
here: planning refuses them before any kernel starts.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import nbformat
from papermill.execute import prepare_notebook_metadata, raise_for_execution_errors, remove_error_markers
from papermill.iorw import load_notebook_node, local_file_io_cwd
from papermill.parameterize import add_builtin_parameters, parameterize_notebook, parameterize_path

from .ahead import StartedKernel
from .papermill_engine import _KERNEL_ARG, _PATH_ARG, ENGINE_NAME, StartedKernelEngine, mark, write_output

_KEEP = 8  # notebook contents whose node is kept
_nodes: OrderedDict[str, Any] = OrderedDict()
_lock = threading.Lock()


def papermill_node(notebook_bytes: bytes, notebook_hash: str) -> Any:
    """The notebook as papermill loads its input (validated, upgraded, papermill's metadata), made
    once per content: callers must not change it (``run_papermill`` copies it)."""
    with _lock:
        found = _nodes.get(notebook_hash)
        if found is not None:
            _nodes.move_to_end(notebook_hash)
            return found
    # (bytes that planning validated; an older nbformat is converted here)
    node = nbformat.reads(notebook_bytes.decode("utf-8"), as_version=4)
    if not isinstance(node, nbformat.NotebookNode):  # the v3 converter answers its own node class
        node = nbformat.from_dict(node)
    node = load_notebook_node(node)  # papermill's own reading of a node input
    with _lock:
        _nodes[notebook_hash] = node
        while len(_nodes) > _KEEP:
            _nodes.popitem(last=False)
    return node


def run_papermill(
    node: Any,
    input_path: Path,
    output: Path,
    *,
    kernel: StartedKernel,
    kernel_name: str,
    language: str,
    parameters: dict[str, Any],
    progress: bool,
) -> None:
    """Execute a copy of ``node`` (from :func:`papermill_node`) on ``kernel`` as
    ``papermill.execute_notebook`` would; writes ``output`` as each cell starts and ends."""
    mark("")
    output_path = parameterize_path(str(output), add_builtin_parameters(parameters))
    with local_file_io_cwd():
        nb = copy.deepcopy(node)
        if parameters:
            nb = parameterize_notebook(
                nb, parameters, False, kernel_name=kernel_name, language=language, engine_name=ENGINE_NAME
            )
        nb = prepare_notebook_metadata(nb, str(input_path), output_path, False)
        nb = remove_error_markers(nb)
        engine_arguments: dict[str, Any] = {_KERNEL_ARG: kernel, _PATH_ARG: str(input_path)}
        nb = StartedKernelEngine.execute_notebook(
            nb,
            kernel_name,
            output_path=output_path,
            progress_bar=progress,
            log_output=False,
            start_timeout=60,
            stdout_file=None,
            stderr_file=None,
            shutdown_kernel="immediate",  # nbclient's own Ctrl-C cleanup: never a graceful-shutdown wait
            **engine_arguments,
        )
        raise_for_execution_errors(nb, output_path)  # (it writes the output with papermill's error cell)
        write_output(nb, output_path)
    mark("driver: papermill after the engine (error check, final write)")
