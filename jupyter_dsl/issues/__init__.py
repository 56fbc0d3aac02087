"""DSLP issues on any tracker: creating them from templates, Ask maintenance, the labels sync and pull
requests (the use cases; the trackers themselves are in ``trackers``)."""
