"""Dataset and model versions outside git, in DVC's formats.

A version's bytes live in the data store (``[data] store``, any fsspec URL) in DVC's cache layout
(``files/md5/<2 hex>/<30 hex>``, folders as ``.dir`` JSON manifests); git holds a small ``.dvc`` pointer
file and an annotated tag ``NAME@vX.Y.Z`` per version (GTO's convention), so ``dvc pull`` from the same
store works and versions travel with ``git push --tags``.
"""
