"""Dataset and model versions outside git, in DVC's formats.

A version's bytes live in the data store (``[data] store``, any fsspec URL) in DVC's cache layout
(``files/md5/<2 hex>/<30 hex>``, folders as ``.dir`` JSON manifests); git holds a small ``.dvc`` pointer
file and an annotated tag ``NAME@vX.Y.Z`` per version (GTO's convention), so ``dvc pull`` from the same
store works and versions travel with ``git push --tags``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..project.settings import Project

__all__ = ["versions_for_issue"]


def versions_for_issue(project: Project, number: int) -> list[dict[str, Any]]:
    """The versions tied to issue ``number`` (what the story of an Ask lists); imported when asked,
    so that a run reading a dataset does not load the listing."""
    from .linked_versions import issue_versions

    found = issue_versions(project, number).datasets
    return [{**version, "created_at": version["tagged_at"]} for version in found]
