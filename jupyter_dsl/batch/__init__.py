"""Batches: a notebook over a grid of parameter sets (``grid``), driven (``driver``, ``background``)
through executors (local, dask), with their state in the store (``state``) and their chart (``plot``)."""
