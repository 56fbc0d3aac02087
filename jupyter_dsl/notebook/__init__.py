"""Notebook files: the document (read, validate, edit in place), its link to an issue, cell tags, the
papermill ``parameters`` cell and its values, and the JSON splicing that leaves other bytes alone."""
