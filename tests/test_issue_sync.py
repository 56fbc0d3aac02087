"""`jupyter dsl sync`: two clones and a bare remote (real git) share their local issues through the
remote's refs: both sides' offline changes survive, a fresh clone gets every issue, a refused push
changes nothing, and a broken history is refused by name while the other issues sync."""

from __future__ import annotations

import json
from pathlib import Path

from kernel_support import Kernel, plain
from refs_support import clone, git_in, issue_refs, remote_and_clones, titles, tracker_of
from runs_support import dsl, dsl_json

from jupyter_dsl.trackers import IssueQuery

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def sync(root: Path, *args: str, code: int = 0) -> str:
    return dsl(root, "sync", *args, code=code).stdout


def test_offline_changes_on_both_sides_all_survive(tmp_path: Path) -> None:
    _, (ann, bob) = remote_and_clones(tmp_path, "ann", "bob")
    with tracker_of(ann) as tracker:
        tracker.create("Why churn?", "", ["Ask"])
    assert "went out: #1 Why churn?" in sync(ann)
    assert "came in: #1 Why churn? (new)" in sync(bob)
    with tracker_of(ann) as tracker:  # offline, both sides
        tracker.comment(1, "Ann's comment")
        tracker.add_labels(1, ["on hold"])
        tracker.edit(1, title="Why churn? (Ann)")
    with tracker_of(bob) as tracker:
        tracker.comment(1, "Bob's comment")
        tracker.close(1, "not_planned")
        tracker.comment(1, "Bob again")
        tracker.edit(1, title="Why churn? (Bob)")  # the later change by the logical clock (5 > 4)
    sync(ann)
    out = sync(bob)
    assert "came in: #1" in out and "went out: #1" in out
    sync(ann)
    seen = []
    for root in (ann, bob):
        with tracker_of(root) as tracker:
            issue = tracker.get(1)
            seen.append((issue.title, issue.state, issue.state_reason, issue.labels))
            assert sorted(c.body for c in tracker.comments(1)) == [
                "Ann's comment",
                "Bob again",
                "Bob's comment",
            ]
    assert seen[0] == seen[1] == ("Why churn? (Bob)", "closed", "not_planned", ("Ask", "on hold"))
    log = git_in(ann, "log", "--format=%s", issue_refs(ann)[0]).stdout
    assert '"title":"Why churn? (Ann)"' in log and '"title":"Why churn? (Bob)"' in log  # history keeps both


def test_a_fresh_clone_and_sync_shows_every_issue(tmp_path: Path) -> None:
    remote, (ann,) = remote_and_clones(tmp_path, "ann")
    dsl(ann, "issue", "new", "Ask", "Why churn?")
    dsl(ann, "issue", "new", "Explore", "Churn by region", "--ask", "1")
    dsl(ann, "issue", "comment", "2", "a finding")
    dsl(ann, "issue", "close", "2")
    sync(ann)
    fresh = clone(remote, tmp_path / "fresh", "carol")
    assert titles(fresh) == {}
    out = sync(fresh)
    assert "came in: #1 Why churn? (new)" in out and "came in: #2 Churn by region (new)" in out
    listed = dsl_json(fresh, "issue", "list", "--state", "all")["issues"]
    assert [(i["number"], i["state"], i["comments"]) for i in listed] == [(2, "closed", 1), (1, "open", 0)]
    assert "issues already in sync with origin" in sync(fresh)


def test_after_one_sync_a_plain_git_fetch_brings_new_issues(tmp_path: Path) -> None:
    _, (ann, bob) = remote_and_clones(tmp_path, "ann", "bob")
    sync(bob)  # sets up the fetch refspec for issue refs
    with tracker_of(ann) as tracker:
        tracker.create("Made by Ann", "", [])
    sync(ann)
    git_in(bob, "fetch", "--quiet")
    assert titles(bob) == {1: "Made by Ann"}


def test_a_refused_push_changes_nothing_and_the_next_sync_finishes(tmp_path: Path) -> None:
    remote, (ann,) = remote_and_clones(tmp_path, "ann")
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'refs are frozen today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    with tracker_of(ann) as tracker:
        tracker.create("One", "", [])
        tracker.create("Two", "", [])
    result = dsl(ann, "sync", code=4)
    assert "origin refused the push" in result.stdout + result.stderr
    assert git_in(remote, "for-each-ref", "refs/dsl/").stdout == ""
    assert titles(ann) == {1: "One", 2: "Two"}
    hook.unlink()
    assert "went out: #1 One" in sync(ann)
    assert len(git_in(remote, "for-each-ref", "refs/dsl/issues/").stdout.splitlines()) == 2


def test_sync_needs_git_and_a_remote(tmp_path: Path) -> None:
    dsl(tmp_path, "init", "--no-git", "plain")
    refused = dsl(tmp_path / "plain", "sync", code=4)
    assert "sync needs git" in refused.stderr
    dsl(tmp_path, "init", "alone")
    refused = dsl(tmp_path / "alone", "sync", code=2)
    assert "no git remote" in refused.stderr


def test_a_dry_run_only_says(tmp_path: Path) -> None:
    remote, (ann, bob) = remote_and_clones(tmp_path, "ann", "bob")
    with tracker_of(ann) as tracker:
        tracker.create("Ann's", "", [])
    sync(ann)
    with tracker_of(bob) as tracker:
        tracker.create("Bob's", "", [])
    before = git_in(bob, "for-each-ref").stdout, git_in(remote, "for-each-ref").stdout
    out = sync(bob, "--dry-run")
    assert "would come in: 1 issue(s) of origin" in out and "went out (would): #1 Bob's" in out
    assert (git_in(bob, "for-each-ref").stdout, git_in(remote, "for-each-ref").stdout) == before


def _commit(root: Path, message: bytes, parents: tuple[str, ...] = ()) -> str:
    head = [f"tree {EMPTY_TREE}".encode()]
    head += [f"parent {p}".encode() for p in parents]
    head += [
        b"author M <m@example.invalid> 1700000000 +0000",
        b"committer M <m@example.invalid> 1700000000 +0000",
    ]
    body = b"\n".join(head) + b"\n\n" + message
    path = root / ".git" / "hostile-object"
    path.write_bytes(body)
    sha = git_in(root, "hash-object", "-t", "commit", "-w", str(path)).stdout.strip()
    path.unlink()
    return sha


def _op(issue: str, **fields: object) -> bytes:
    data = {"v": 1, "issue": issue, "at": "2026-01-01T00:00:00Z", "by": "M", **fields}
    return json.dumps(data).encode()


def _create(issue: str, number: int) -> dict[str, object]:
    return {
        "op": "create",
        "clock": 1,
        "title": f"hostile {number}",
        "body": "",
        "labels": [],
        "number": number,
    }


def test_broken_histories_are_refused_by_name_and_the_rest_syncs(tmp_path: Path) -> None:
    _, (ann, mallory, bob) = remote_and_clones(tmp_path, "ann", "mallory", "bob")
    with tracker_of(ann) as tracker:
        tracker.create("Good one", "", [])
    sync(ann)
    ids = {name: f"{n:032x}" for n, name in enumerate(("json", "unknown", "clock", "huge", "other"), start=1)}
    heads = {
        "json": _commit(mallory, b"{not json"),
        "unknown": _commit(mallory, _op(ids["unknown"], op="explode", clock=1)),
        "other": _commit(mallory, _op(ids["json"], **_create(ids["json"], 95))),
        "huge": _commit(mallory, b"x" * (100 * 1024 * 1024)),
    }
    first = _commit(mallory, _op(ids["clock"], **_create(ids["clock"], 97)))
    heads["clock"] = _commit(mallory, _op(ids["clock"], op="comment", clock=5_000_000, body="jump"), (first,))
    for name, sha in heads.items():
        git_in(mallory, "update-ref", f"refs/dsl/issues/{ids[name]}", sha)
    git_in(mallory, "push", "--quiet", "origin", "refs/dsl/issues/*:refs/dsl/issues/*")
    out = sync(bob)
    assert "came in: #1 Good one (new)" in out
    refused = [line for line in out.splitlines() if line.startswith("refused:")]
    assert len(refused) == 5, out
    for name, why in (
        ("json", "not a JSON operation"),
        ("unknown", "unknown operation 'explode'"),
        ("clock", "clock 5000000 after 1"),
        ("huge", "operations over 1,048,576 are refused"),
        ("other", "names another issue"),
    ):
        assert any(ids[name][:12] in line and why in line for line in refused), (name, out)
    with tracker_of(bob) as tracker:
        assert [i.title for i in tracker.list(IssueQuery(state="all"))] == ["Good one"]
    assert "went out" not in sync(bob)  # refused histories are not sent back either


def test_the_magic_syncs_too(tmp_path: Path) -> None:
    _, (ann, bob) = remote_and_clones(tmp_path, "ann", "bob")
    with tracker_of(ann) as tracker:
        tracker.create("From Ann", "", [])
    sync(ann)
    kernel = Kernel(bob, None)
    try:
        kernel.run("%load_ext jupyter_dsl")
        status, outputs, text = kernel.run("%dsl sync")
    finally:
        kernel.close()
    assert status == "ok", text
    assert "came in: #1 From Ann (new)" in plain(outputs) + text


def test_auto_sync_shares_each_change_and_a_bad_setting_is_refused(tmp_path: Path) -> None:
    _, (ann, bob) = remote_and_clones(tmp_path, "ann", "bob")
    for root in (ann, bob):
        config = root / "dsl.toml"
        config.write_text(config.read_text().replace('kind = "local"', 'kind = "local"\nsync = "auto"'))
    dsl(ann, "issue", "new", "Ask", "Synced by itself")  # no `sync` command anywhere
    listed = dsl_json(bob, "issue", "list")["issues"]
    assert [i["title"] for i in listed] == ["Synced by itself"]
    config = ann / "dsl.toml"
    config.write_text(config.read_text().replace('sync = "auto"', 'sync = "always"'))
    assert 'sync must be "manual" or "auto"' in dsl(ann, "issue", "list", code=5).stderr
