"""Listing a GitHub repository of 2,000 issues: a cold fetch against refreshes with nothing changed.

    python benchmarks/forge_listing.py [--issues 2000] [--repeat 5]

Runs the test GitHub server (tests/forges/github_server.py) on 127.0.0.1 and lists every issue
through GitHubTracker (100 per page). Cold: an empty cache, and the server renders every page anew.
Refresh: the same tracker again (ETag answers kept in memory: a 304 costs no JSON parsing). New
process: a new tracker on the same cache folder (the bodies are read back from the cache files).
Prints requests made and times (medians); asserts nothing about time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jupyter_dsl.dslp.templates import TEMPLATES, render_body
from jupyter_dsl.trackers.base import IssueQuery
from jupyter_dsl.trackers.github import GitHubTracker
from tests.forges.github_server import GitHubServer

TOKEN = "ghp_benchmark"


def timed(server: GitHubServer, tracker: GitHubTracker) -> tuple[float, int, int, list[int]]:
    before = len(server.exchanges)
    start = time.perf_counter()
    issues = tracker.list(IssueQuery(state="all"))
    elapsed = time.perf_counter() - start
    statuses = [e.status for e in server.exchanges[before:]]
    return elapsed, len(issues), len(statuses), sorted(set(statuses))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bodies = [render_body(t) for t in TEMPLATES]
    with GitHubServer("octo/demo", token=TOKEN) as server, tempfile.TemporaryDirectory() as folder:
        for n in range(args.issues):
            template = TEMPLATES[n % len(TEMPLATES)]
            server.seed_issue(
                f"{template.type.value} {n}: churn by region", bodies[n % len(bodies)], [template.type.value]
            )
        cache = Path(folder) / "forge-cache"

        def tracker() -> GitHubTracker:
            return GitHubTracker("octo/demo", token=TOKEN, api_url=server.base_url, cache_dir=cache)

        cold_times, refresh_times, reopen_times = [], [], []
        for _ in range(args.repeat):
            for path in cache.glob("*"):
                path.unlink()
            server.changed()  # the server renders its pages anew for the cold fetch (as a forge must)
            warm = tracker()
            cold = timed(server, warm)
            refresh = timed(server, warm)
            reopened = timed(server, tracker())
            cold_times.append(cold[0])
            refresh_times.append(refresh[0])
            reopen_times.append(reopened[0])
        size = sum(p.stat().st_size for p in cache.glob("*.cache"))
    print(f"{args.issues} issues, 100 per page, median of {args.repeat} (cache: {size / 1e6:.1f} MB)")
    for name, times, sample in (
        ("cold fetch (empty cache)", cold_times, cold),
        ("refresh, same process", refresh_times, refresh),
        ("refresh, new process", reopen_times, reopened),
    ):
        median = statistics.median(times)
        print(
            f"{name:27} {sample[2]:3} requests (HTTP {sample[3]}) {sample[1]} issues  {median * 1000:8.1f} ms"
        )
    for name, times in (("same process", refresh_times), ("new process", reopen_times)):
        print(f"cold / refresh ({name}): {statistics.median(cold_times) / statistics.median(times):.1f}x")


if __name__ == "__main__":
    main()
