"""A DSLP project: finding it and its ``dsl.toml`` settings, ``init`` and ``demo``, git, the embedded
database, atomic file writes and the project summary."""
