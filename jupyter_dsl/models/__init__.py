"""Model versions: saved inside a run into the data store (DVC's cache layout), each with a semantic
version, its run (parameters, metrics, issue) and aliases such as ``production``."""
