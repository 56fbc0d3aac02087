"""JSON over HTTP for the forge trackers (GitHub, GitLab), robust against a real API's failures.

``ForgeHttp`` adds to httpx what both forges need: pagination through a ``next_url`` hook, conditional
requests (``ETag`` / ``If-None-Match``) with a cache under ``.dsl/forge-cache/`` so an unchanged refresh
costs one 304 per page, rate limits waited out up to a bound, retries with backoff for 5xx and timeouts
(writes only when repeating them is safe), errors that say what to do, and cached reads when the forge
cannot be reached (``offline_as_of``).

The token travels in one request header and nowhere else: the cache holds URLs and bodies only, log
lines name methods and URLs, and every message built from a response has the token scrubbed out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import httpx

from ..errors import NotFound, TrackerError
from .error_bodies import error_detail
from .per_thread import PerThread
from .response_cache import CacheEntry, ResponseCache

log = logging.getLogger(__name__)
T = TypeVar("T")

NextUrl = Callable[[httpx.Response], "str | None"]
Params = Mapping[str, "str | int"]


def next_from_link(response: httpx.Response) -> str | None:
    """The next page as a ``Link: <...>; rel="next"`` header names it (GitHub, GitLab keyset)."""
    return response.links.get("next", {}).get("url") or None


def next_from_x_next_page(response: httpx.Response) -> str | None:
    """GitLab's ``x-next-page: N`` (empty on the last page) as a URL; falls back to ``Link``."""
    page = response.headers.get("x-next-page")
    if page is None:
        return next_from_link(response)
    page = page.strip()
    return str(response.request.url.copy_set_param("page", page)) if page else None


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class _Unreachable(Exception):
    """The request never reached the forge (no connection): nothing was changed."""


class ForgeHttp:
    """One forge API's HTTP client. ``base_url`` is the API root (``https://api.github.com``).
    Threads may share it (a server's requests do): each reads its own ``offline_as_of``."""

    #: ISO time of the oldest cached copy the last read (of this thread) fell back to; None when online
    offline_as_of: PerThread[str | None] = PerThread(None)

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        name: str = "GitHub",
        timeout: float = 30.0,
        cache_dir: Path | None = None,
        user_agent: str = "jupyter-dsl",
        auth_header: str = "Authorization",
        auth_prefix: str = "Bearer ",
        headers: Mapping[str, str] | None = None,
        next_url: NextUrl = next_from_link,
        rate_limit_wait: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
        token_hint: str = "",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.next_url = next_url
        self.rate_limit_wait = rate_limit_wait
        self.retries = retries
        self.backoff = backoff
        self.token_hint = token_hint
        self.has_token = bool(token)
        #: HTTP requests sent (for benchmarks and tests)
        self.requests_made = 0
        self._token = token or ""
        self.cache = ResponseCache(cache_dir)
        self._converted: dict[str, tuple[Any, Callable[[Any], Any], list[Any]]] = {}
        sent = {"User-Agent": user_agent, "Accept": "application/json", **(headers or {})}
        if token:
            sent[auth_header] = f"{auth_prefix}{token}"
        self._client = httpx.Client(headers=sent, timeout=timeout, follow_redirects=False)
        origin = httpx.URL(self.base_url)
        self._origin = (origin.scheme, origin.host, origin.port)

    def __repr__(self) -> str:
        return f"ForgeHttp({self.base_url!r}, name={self.name!r})"

    def close(self) -> None:
        self._client.close()

    @property
    def closed(self) -> bool:
        return self._client.is_closed

    # -- reading -------------------------------------------------------------------------------

    def get(
        self, path: str, params: Params | None = None, *, what: str = "", allow_offline: bool = True
    ) -> Any:
        """The JSON of one GET (conditional; from the cache when offline and ``allow_offline``)."""
        self.offline_as_of = None
        return self._get_entry(self.url(path, params), what, allow_offline, offline=False)[0].body

    def get_all(
        self, path: str, params: Params | None = None, *, what: str = "", allow_offline: bool = True
    ) -> list[Any]:
        """Every item of a paginated list, page after page as ``next_url`` names them."""
        return self.get_all_as(path, _same, params, what=what, allow_offline=allow_offline)

    def get_all_as(
        self,
        path: str,
        convert: Callable[[Any], T | None],
        params: Params | None = None,
        *,
        what: str = "",
        allow_offline: bool = True,
    ) -> list[T]:
        """Every item of a paginated list through ``convert`` (None drops an item). A page that is
        unchanged (304) and still in memory is not converted again: that keeps a refresh cheap."""
        self.offline_as_of = None
        items: list[T] = []
        url: str | None = self.url(path, params)
        seen: set[str] = set()
        offline = False
        while url is not None and url not in seen:
            seen.add(url)
            entry, offline = self._get_entry(url, what, allow_offline, offline=offline)
            if not isinstance(entry.body, list):
                raise TrackerError(f"{self.name} answered {what or url} with something other than a list")
            done = self._converted.get(url)
            if done is None or done[0] is not entry.body or done[1] is not convert:
                page = [c for c in map(convert, entry.body) if c is not None]
                done = self._converted[url] = (entry.body, convert, page)
            items.extend(done[2])
            url = entry.next
        return items

    def _get_entry(
        self, url: str, what: str, allow_offline: bool, *, offline: bool
    ) -> tuple[CacheEntry, bool]:
        cached = self.cache.get(url)
        try:
            if offline:  # an earlier page of this listing found the forge unreachable
                raise _Unreachable
            headers = {"If-None-Match": cached.etag} if cached is not None and cached.etag else {}
            response = self._send("GET", url, headers=headers, retry=True, what=what)
        except _Unreachable as exc:
            if cached is None or not allow_offline:
                raise self._offline_error(what or _path_of(url), reading=True) from exc
            oldest = self.offline_as_of
            self.offline_as_of = cached.stored_at if oldest is None else min(oldest, cached.stored_at)
            return cached, True
        if response.status_code == 304 and cached is not None:
            return CacheEntry(
                cached.url, cached.etag, self._next(response) or cached.next, cached.stored_at, cached.body
            ), False
        entry = CacheEntry(
            url, response.headers.get("etag"), self._next(response), _now_iso(), _json(response, self.name)
        )
        self.cache.put(entry, response.content)
        return entry, False

    def _next(self, response: httpx.Response) -> str | None:
        url = self.next_url(response)
        if url is None:
            return None
        target = httpx.URL(url)
        if (target.scheme, target.host, target.port) != self._origin:  # never send the token elsewhere
            raise TrackerError(
                f"{self.name} pointed the next page at another server ({target.host}); not following it"
            )
        return url

    # -- writing -------------------------------------------------------------------------------

    def write(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        what: str = "",
        idempotent: bool | None = None,
    ) -> Any:
        """Send a change; returns the answer's JSON (None for 204). ``idempotent`` (default: PUT,
        PATCH and DELETE are) allows retrying after a 5xx or a timeout: never for a new comment."""
        if not self.has_token:
            raise TrackerError(
                f"no {self.name} token, so {what or 'the change'} cannot be made; nothing was changed",
                hint=self.token_hint or None,
            )
        retry = method.upper() in ("PUT", "PATCH", "DELETE") if idempotent is None else idempotent
        try:
            response = self._send(method.upper(), self.url(path), json_body=body, retry=retry, what=what)
        except _Unreachable as exc:
            raise self._offline_error(what or f"{method} {path}", reading=False) from exc
        return None if response.status_code == 204 or not response.content else _json(response, self.name)

    # -- the request loop ----------------------------------------------------------------------

    def url(self, path: str, params: Params | None = None) -> str:
        full = path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"
        return str(httpx.URL(full, params=dict(params)) if params else httpx.URL(full))

    def _send(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
        retry: bool,
        what: str,
    ) -> httpx.Response:
        what = what or f"{method} {_path_of(url)}"
        attempt = 0
        waited = 0.0
        while True:
            self.requests_made += 1
            try:
                response = self._client.request(method, url, headers=headers, json=json_body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                log.info("%s %s: %s is unreachable", method, _path_of(url), self.name)
                raise _Unreachable from exc
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                kind = (
                    "did not answer in time"
                    if isinstance(exc, httpx.TimeoutException)
                    else "dropped the connection"
                )
                if retry and attempt < self.retries:
                    attempt += 1
                    self._pause(attempt, f"{self.name} {kind} ({what})")
                    continue
                raise TrackerError(
                    f"{self.name} {kind} for {what}" + (f" after {attempt + 1} tries" if retry else ""),
                    hint=None
                    if retry
                    else f"The change may or may not have been made: check {what} before trying again.",
                ) from None
            log.debug("%s %s -> %s", method, _path_of(url), response.status_code)
            if response.is_success or response.status_code == 304:
                return response
            limited = self._rate_limit_wait(response)
            if limited is not None:
                wait, reset_at = limited
                if waited + wait > self.rate_limit_wait:
                    raise self._rate_limit_error(response, reset_at)
                log.info("%s rate limit reached (%s); waiting %.1f s", self.name, what, wait)
                time.sleep(wait)
                waited += wait
                continue
            if response.status_code >= 500 and retry and attempt < self.retries:
                attempt += 1
                self._pause(attempt, f"{self.name} answered {response.status_code} ({what})")
                continue
            raise self._error(response, what, retried=attempt)

    def _pause(self, attempt: int, reason: str) -> None:
        delay = self.backoff * 2 ** (attempt - 1)
        log.info("%s; try %d of %d in %.1f s", reason, attempt + 1, self.retries + 1, delay)
        time.sleep(delay)

    def _rate_limit_wait(self, response: httpx.Response) -> tuple[float, float] | None:
        """(seconds to wait, reset time as a Unix time) when the response is a rate limit, else None."""
        if response.status_code not in (403, 429):
            return None
        headers, now = response.headers, time.time()
        retry_after = headers.get("retry-after", "").strip()
        if retry_after.isdigit():
            return float(retry_after), now + float(retry_after)
        reset = headers.get("x-ratelimit-reset", "").strip()
        if headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
            return max(float(reset) - now, 0.0) + 1.0, float(reset)  # a second for clock skew
        if response.status_code == 429 or "rate limit" in error_detail(response).lower():
            return 60.0, now + 60.0  # GitHub: "wait at least one minute" when no header says how long
        return None

    def _rate_limit_error(self, response: httpx.Response, reset_at: float) -> TrackerError:
        reset = datetime.fromtimestamp(reset_at, timezone.utc).strftime("%H:%M:%S UTC")
        wait = max(reset_at - time.time(), 0.0)
        return TrackerError(
            f"{self.name} rate limit reached; it resets at {reset} (in {wait:.0f} s)",
            status=response.status_code,
            hint=f"Try again after {reset}, or raise [tracker] rate_limit_wait "
            f"(now {self.rate_limit_wait:g} s) in dsl.toml to wait that long. Nothing was changed.",
        )

    def _error(self, response: httpx.Response, what: str, *, retried: int) -> Exception:
        status = response.status_code
        detail = self._scrub(error_detail(response))
        said = f": {detail}" if detail else ""
        if status == 401:
            message = (
                f"{self.name} refused the token{said}"
                if self.has_token
                else f"{self.name} needs a token for {what}{said}"
            )
            return TrackerError(message, status=status, hint=self.token_hint or None)
        if status == 403:
            return TrackerError(
                f"{self.name} denied {what}{said}", status=status, hint=self._scope_hint(response)
            )
        if status == 404:
            return NotFound(
                f"{self.name} has no {what}",
                hint=f"Check the name and number; to a token that cannot see it, a private {self.name} "
                "repository looks missing.",
            )
        if status == 422:
            return TrackerError(
                f"{self.name} rejected {what}{said}", status=status, hint="Nothing was changed."
            )
        tries = f" after {retried + 1} tries" if retried else ""
        return TrackerError(f"{self.name} answered {status} for {what}{tries}{said}", status=status)

    def _scope_hint(self, response: httpx.Response) -> str:
        accepted = response.headers.get("x-accepted-oauth-scopes", "").strip()
        has = response.headers.get("x-oauth-scopes")
        permissions = response.headers.get("x-accepted-github-permissions", "").strip()
        if accepted:
            held = f" (the token has: {has.strip() or 'no scopes'})" if has is not None else ""
            return f"The token needs the scope {' or '.join(s.strip() for s in accepted.split(','))}{held}."
        if permissions:
            return f"The token needs the permission {permissions} on this repository."
        lacks = "The token lacks the permission; check its scopes and your access to the repository."
        return f"{lacks} {self.token_hint}".strip()

    def _offline_error(self, what: str, *, reading: bool) -> TrackerError:
        host = httpx.URL(self.base_url).host
        if reading:
            return TrackerError(
                f"{self.name} ({host}) cannot be reached and there is no cached copy of {what}",
                hint="Check the network connection (and [tracker] api_url), then try again.",
            )
        return TrackerError(
            f"offline: {self.name} ({host}) cannot be reached, so {what} was not sent; nothing was changed",
            hint="Try again when the forge can be reached.",
        )

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text


def _same(item: Any) -> Any:
    return item


def _json(response: httpx.Response, name: str) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise TrackerError(
            f"{name} answered {_path_of(str(response.request.url))} with invalid JSON"
        ) from exc


def _path_of(url: str) -> str:
    return httpx.URL(url).path
