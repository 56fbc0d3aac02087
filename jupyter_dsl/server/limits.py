"""The limits the handlers apply, as the server's settings give them (``c.JupyterDSL.*``, ``app.py``)."""

from __future__ import annotations

from dataclasses import dataclass

SETTING = "jupyter_dsl_limits"  # where the server's settings hold the Limits


@dataclass(frozen=True)
class Limits:
    max_workers: int  # the most runs at once a batch may ask for
    preview_sets: int  # parameter sets a batch preview lists (it counts them all)
    max_configs: int  # YAML files the configs route lists
    batches_listed: int  # a notebook's batches the batches route lists (newest first)
