"""ForgeHttp (jupyter_dsl/trackers/http.py) against the local GitHub server: pagination, conditional
refreshes, rate limits, retries, error messages, the offline fallback and where the token never goes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from forge_clients import closed_after_test

from jupyter_dsl.errors import NotFound, TrackerError
from jupyter_dsl.trackers.http import ForgeHttp, next_from_link, next_from_x_next_page
from tests.forges.github_server import GitHubServer
from tests.forges.github_spec import checked_server

TOKEN = "ghp_PLANTEDfakeTOKEN0123456789abcdefABCD"
ISSUES = "/repos/octo/demo/issues"


@pytest.fixture
def server() -> Iterator[GitHubServer]:
    with checked_server("octo/demo", token=TOKEN) as running:
        yield running


def client(server: GitHubServer, cache: Path | None, **options: object) -> ForgeHttp:
    settings: dict[str, object] = {"backoff": 0.01, "rate_limit_wait": 5.0, "timeout": 5.0}
    settings.update(options)
    http = ForgeHttp(server.base_url, TOKEN, cache_dir=cache, token_hint="Set GITHUB_TOKEN.", **settings)  # type: ignore[arg-type]
    return closed_after_test(http)


def seed(server: GitHubServer, count: int) -> None:
    for n in range(count):
        server.seed_issue(f"issue {n + 1}")


def test_pages_are_followed_through_link_headers(server: GitHubServer, tmp_path: Path) -> None:
    seed(server, 250)
    http = client(server, tmp_path)
    items = http.get_all(ISSUES, {"state": "all", "per_page": 100})
    assert [item["number"] for item in items] == list(range(250, 0, -1))
    assert http.requests_made == 3
    assert [e.query.get("page") for e in server.exchanges] == [None, ["2"], ["3"]]


def test_an_unchanged_refresh_costs_one_304_per_page_also_in_a_new_process(
    server: GitHubServer, tmp_path: Path
) -> None:
    seed(server, 250)
    first = client(server, tmp_path).get_all(ISSUES, {"state": "all", "per_page": 100})
    server.exchanges.clear()
    again = client(server, tmp_path)  # a new client: only the files under the cache folder remain
    assert again.get_all(ISSUES, {"state": "all", "per_page": 100}) == first
    assert [e.status for e in server.exchanges] == [304, 304, 304]
    assert again.offline_as_of is None


def test_a_change_is_seen_on_refresh(server: GitHubServer, tmp_path: Path) -> None:
    seed(server, 150)
    http = client(server, tmp_path)
    http.get_all(ISSUES, {"per_page": 100})
    server.state.issues[150].title = "renamed"
    server.changed()
    server.exchanges.clear()
    items = http.get_all(ISSUES, {"per_page": 100})
    assert items[0]["title"] == "renamed"
    assert [e.status for e in server.exchanges] == [200, 304]


def test_gitlab_next_page_hook() -> None:
    request = httpx.Request("GET", "https://gitlab.test/api/v4/projects/1/issues?per_page=100&page=1")
    middle = httpx.Response(200, headers={"x-next-page": "2"}, request=request)
    last = httpx.Response(200, headers={"x-next-page": ""}, request=request)
    assert next_from_x_next_page(middle) == "https://gitlab.test/api/v4/projects/1/issues?per_page=100&page=2"
    assert next_from_x_next_page(last) is None
    linked = httpx.Response(200, headers={"Link": '<https://x.test/a?page=3>; rel="next"'}, request=request)
    assert next_from_link(linked) == next_from_x_next_page(linked) == "https://x.test/a?page=3"


def test_a_next_page_on_another_server_is_not_followed(server: GitHubServer, tmp_path: Path) -> None:
    server.inject(200, body=[], headers={"Link": '<http://elsewhere.test/steal?page=2>; rel="next"'})
    with pytest.raises(TrackerError, match="another server"):
        client(server, tmp_path).get_all(ISSUES)


def test_429_is_waited_out_then_the_request_succeeds(server: GitHubServer, tmp_path: Path) -> None:
    seed(server, 1)
    server.inject(
        429, headers={"retry-after": "1"}, body={"message": "You have exceeded a secondary rate limit"}
    )
    assert client(server, tmp_path).get(f"{ISSUES}/1")["title"] == "issue 1"
    assert [e.status for e in server.exchanges] == [429, 200]


def test_an_exhausted_rate_limit_within_the_bound_is_waited_out(server: GitHubServer, tmp_path: Path) -> None:
    seed(server, 1)
    server.exhaust_rate_limit(reset_in=1)
    assert client(server, tmp_path, rate_limit_wait=5.0).get(f"{ISSUES}/1")["number"] == 1
    assert [e.status for e in server.exchanges] == [403, 200]


def test_a_rate_limit_beyond_the_bound_is_reported_with_the_reset_time(
    server: GitHubServer, tmp_path: Path
) -> None:
    seed(server, 1)
    server.exhaust_rate_limit(reset_in=3600)
    with pytest.raises(TrackerError) as caught:
        client(server, tmp_path, rate_limit_wait=2.0).get(f"{ISSUES}/1")
    reset = datetime.fromtimestamp(server.rate_reset, timezone.utc).strftime("%H:%M:%S UTC")
    assert f"rate limit reached; it resets at {reset}" in caught.value.message
    assert "rate_limit_wait" in (caught.value.hint or "")
    assert len(server.exchanges) == 1


def test_502_twice_then_success_on_a_read(server: GitHubServer, tmp_path: Path) -> None:
    seed(server, 1)
    server.inject(502, times=2)
    assert client(server, tmp_path).get(f"{ISSUES}/1")["number"] == 1
    assert [e.status for e in server.exchanges] == [502, 502, 200]


def test_a_full_value_patch_is_retried_but_a_new_comment_is_never_sent_twice(
    server: GitHubServer, tmp_path: Path
) -> None:
    seed(server, 1)
    http = client(server, tmp_path)
    server.inject(502, times=2, method="PATCH")
    assert http.write("PATCH", f"{ISSUES}/1", {"title": "new"})["title"] == "new"
    assert [e.status for e in server.exchanges if e.method == "PATCH"] == [502, 502, 200]
    server.inject(502, method="POST")
    with pytest.raises(TrackerError) as caught:
        http.write("POST", f"{ISSUES}/1/comments", {"body": "once"}, what="a comment on issue #1")
    assert [e.status for e in server.exchanges if e.method == "POST"] == [502]
    assert "answered 502 for a comment on issue #1" in caught.value.message
    assert server.comments(1) == []


def test_a_timeout_is_retried(server: GitHubServer, tmp_path: Path) -> None:
    seed(server, 1)
    server.inject(None, delay=1.5)  # slower than the client waits, once
    assert client(server, tmp_path, timeout=0.5).get(f"{ISSUES}/1")["number"] == 1
    assert server.arrivals == [("GET", f"{ISSUES}/1")] * 2


def test_timeouts_that_do_not_end_are_reported(server: GitHubServer, tmp_path: Path) -> None:
    seed(server, 1)
    server.inject(None, delay=0.8, times=3)
    with pytest.raises(TrackerError, match="did not answer in time for issue #1 after 3 tries"):
        client(server, tmp_path, timeout=0.3, retries=2).get(f"{ISSUES}/1", what="issue #1")
    assert len(server.arrivals) == 3


def test_401_says_how_to_provide_a_token(server: GitHubServer, tmp_path: Path) -> None:
    http = closed_after_test(
        ForgeHttp(server.base_url, "ghp_wrong", cache_dir=tmp_path, token_hint="Set GITHUB_TOKEN.")
    )
    with pytest.raises(TrackerError) as caught:
        http.get(ISSUES)
    assert caught.value.status == 401  # the status is data; the message names no "(401)"
    assert caught.value.message == "GitHub refused the token: Bad credentials"
    assert caught.value.hint == "Set GITHUB_TOKEN."


def test_403_names_the_missing_scope(tmp_path: Path) -> None:
    with checked_server("octo/demo", token=TOKEN, scopes="read:org") as server:
        server.seed_issue("one")
        with pytest.raises(TrackerError) as caught:
            client(server, tmp_path).write("PATCH", f"{ISSUES}/1", {"title": "x"}, what="issue #1")
    assert caught.value.status == 403 and caught.value.message == (
        "GitHub denied issue #1: Resource not accessible by personal access token"
    )
    assert caught.value.hint == "The token needs the scope repo (the token has: read:org)."


def test_404_is_not_found(server: GitHubServer, tmp_path: Path) -> None:
    with pytest.raises(NotFound) as caught:
        client(server, tmp_path).get(f"{ISSUES}/7", what="issue #7")
    assert caught.value.message == "GitHub has no issue #7"  # no "(404)": the sidebar shows this text
    with pytest.raises(NotFound):
        client(server, tmp_path).get("/repos/octo/missing/issues")


def test_422_shows_githubs_errors_array(server: GitHubServer, tmp_path: Path) -> None:
    server.seed_label("Ask", "c9ecff")
    with pytest.raises(TrackerError) as caught:
        client(server, tmp_path).write(
            "POST", "/repos/octo/demo/labels", {"name": "ask", "color": "ffffff"}, what="label 'ask'"
        )
    assert caught.value.status == 422
    assert (
        caught.value.message == "GitHub rejected label 'ask': Validation Failed; Label name: already_exists"
    )


def test_offline_reads_come_from_the_cache_and_writes_are_refused(
    server: GitHubServer, tmp_path: Path
) -> None:
    seed(server, 120)
    http = client(server, tmp_path)
    online = http.get_all(ISSUES, {"per_page": 100})
    stored = {e.stored_at for e in (http.cache.get(u) for u in http.cache._memo) if e is not None}
    server.stop()
    offline = client(server, tmp_path)  # a new process: the disk cache only
    assert offline.get_all(ISSUES, {"per_page": 100}) == online
    assert offline.offline_as_of == min(stored)
    with pytest.raises(TrackerError, match="no cached copy of issue #5"):
        offline.get(f"{ISSUES}/5", what="issue #5")
    with pytest.raises(TrackerError, match="cannot be reached"):
        offline.get_all(ISSUES, {"per_page": 100}, allow_offline=False)
    with pytest.raises(TrackerError) as caught:
        offline.write("POST", f"{ISSUES}/1/comments", {"body": "x"}, what="the comment")
    assert caught.value.message.startswith("offline: GitHub (127.0.0.1) cannot be reached, so the comment")
    assert "nothing was changed" in caught.value.message
    server.start()
    assert offline.get_all(ISSUES, {"per_page": 100}) == online
    assert offline.offline_as_of is None
    assert server.comments(1) == []


def test_writes_without_a_token_fail_before_sending(server: GitHubServer, tmp_path: Path) -> None:
    http = closed_after_test(
        ForgeHttp(server.base_url, None, cache_dir=tmp_path, token_hint="Set GITHUB_TOKEN.")
    )
    with pytest.raises(TrackerError, match="no GitHub token"):
        http.write("POST", ISSUES, {"title": "x"})
    assert server.exchanges == []


def test_the_token_is_never_in_the_cache_logs_or_messages(
    server: GitHubServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    seed(server, 30)
    http = client(server, tmp_path)
    http.get_all(ISSUES, {"per_page": 10})
    server.inject(502, times=1)
    http.get(f"{ISSUES}/1")
    server.inject(401, body={"message": f"Bad credentials: {TOKEN}"}, method="GET")
    with pytest.raises(TrackerError) as caught:
        http.get(f"{ISSUES}/2")
    server.exhaust_rate_limit(3600)
    with pytest.raises(TrackerError) as limited:
        http.get(f"{ISSUES}/3")
    server.stop()
    with pytest.raises(TrackerError) as offline:
        http.write("PATCH", f"{ISSUES}/1", {"title": "x"})
    files = list(tmp_path.rglob("*"))
    assert len([f for f in files if f.suffix == ".cache"]) == 4
    for path in files:
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes()
    assert caplog.records, "the requests were logged"
    assert all(TOKEN not in record.getMessage() for record in caplog.records)
    for error in (caught.value, limited.value, offline.value):
        assert TOKEN not in str(error) and TOKEN not in repr(error)
    assert "***" in caught.value.message
    assert TOKEN not in repr(http)


def test_a_corrupt_cache_file_is_a_miss(server: GitHubServer, tmp_path: Path) -> None:
    seed(server, 1)
    client(server, tmp_path).get(f"{ISSUES}/1")
    for path in tmp_path.glob("*.cache"):
        path.write_bytes(b"{not json")
    server.exchanges.clear()
    assert client(server, tmp_path).get(f"{ISSUES}/1")["number"] == 1
    assert [e.status for e in server.exchanges] == [200]


def test_threads_sharing_a_client_each_read_their_own_offline_state(
    server: GitHubServer, tmp_path: Path
) -> None:
    """The server shares one client between its request threads: a request that fell back to the cache
    says so, and only that request."""
    seed(server, 3)
    http = client(server, tmp_path)
    http.get_all(ISSUES)
    server.stop()
    seen: list[str | None] = []
    reader = threading.Thread(target=lambda: seen.append((http.get_all(ISSUES), http.offline_as_of)[1]))
    reader.start()
    reader.join(60)
    assert seen and seen[0] is not None  # that thread read the cached copy
    assert http.offline_as_of is None  # this thread's last read was online
    server.start()
