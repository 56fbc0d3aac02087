"""Kernels for runs: started ahead of need (``ahead``), forked from a zygote (``fork_client`` and
``zygote``), and the papermill engine that runs a notebook on a kernel started for it."""
