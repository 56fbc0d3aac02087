"""The cache of forge GET answers under ``.dsl/forge-cache/``: what makes a refresh cheap and reads
possible offline.

One file per URL: a JSON header line (URL, ETag, next page, when stored) and the body as it came. URLs
and bodies only: request headers, and so the token, are never written. Parsed bodies are also kept in
memory, so a 304 in a long-lived process costs no JSON parsing at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CacheEntry:
    """A GET's last 200 answer: its ETag, the next page's URL and the parsed body."""

    url: str
    etag: str | None
    next: str | None
    stored_at: str  # ISO time (UTC) of the answer
    body: Any


class ResponseCache:
    """Entries keyed by URL, in memory and (when ``directory`` is given) on disk."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._memo: dict[str, CacheEntry] = {}

    def path(self, url: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"{hashlib.sha256(url.encode()).hexdigest()[:40]}.cache"

    def get(self, url: str) -> CacheEntry | None:
        entry = self._memo.get(url)
        if entry is not None:
            return entry
        path = self.path(url)
        if path is None:
            return None
        try:
            header, _, body = path.read_bytes().partition(b"\n")
            meta = json.loads(header)
            if meta.get("url") != url:  # a hash collision or a foreign file
                return None
            entry = CacheEntry(url, meta.get("etag"), meta.get("next"), meta["stored_at"], json.loads(body))
        except (OSError, ValueError, KeyError):
            return None
        self._memo[url] = entry
        return entry

    def put(self, entry: CacheEntry, raw: bytes) -> None:
        """Keep an answer; ``raw`` is its body as received. A cache that cannot be written only costs
        speed, so a write error is logged, not raised."""
        self._memo[entry.url] = entry
        path = self.path(entry.url)
        if path is None:
            return
        meta = {"url": entry.url, "etag": entry.etag, "next": entry.next, "stored_at": entry.stored_at}
        temp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(json.dumps(meta).encode() + b"\n" + raw)
            os.replace(temp, path)
        except OSError as exc:
            log.warning("cannot write the forge cache %s: %s", path, exc)
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
