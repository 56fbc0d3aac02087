"""The story of an Ask (``collect`` -> ``Story`` -> ``render``) and the static site of every Ask."""
