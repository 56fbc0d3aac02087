"""Local issues in the repository's own git refs: one ref per issue (``refs/dsl/issues/<id>``), each
change a commit whose message is one small JSON operation, written with the system ``git``.

``ops`` the operations, ``store`` the git plumbing, ``history`` reading and checking an issue's commits,
``index`` the SQLite projection (disposable, rebuilt from the refs), ``merge`` joining two histories,
``sync`` fetch/merge/push with a remote, ``migrate`` moving today's SQLite-only issues into refs.
"""

from __future__ import annotations

ISSUES_PREFIX = "refs/dsl/issues/"
STAGING_PREFIX = "refs/dsl/remotes/"  # refs/dsl/remotes/<remote>/issues/<id>: what the remote has
