"""Where the GitLab token comes from (GITLAB_TOKEN, then glab's login), and `kind = "gitlab"` in dsl.toml."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from forge_clients import closed_after_test
from forges.gitlab_server import GitLabServer

from jupyter_dsl.project.settings import find_project
from jupyter_dsl.trackers import open_tracker
from jupyter_dsl.trackers.gitlab import GitLabTracker
from jupyter_dsl.trackers.gitlab_auth import gitlab_host, gitlab_token

API = "https://gitlab.example.com/api/v4"


def fake_glab(bin_dir: Path, script: str) -> None:
    """A `glab` executable on PATH that answers like glab does (a real subprocess, a fake login)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    glab = bin_dir / "glab"
    glab.write_text("#!/bin/sh\n" + script)
    glab.chmod(0o755)


@pytest.fixture()
def no_env_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("GITLAB_TOKEN", raising=False)
    bin_dir = tmp_path / "bin"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    return bin_dir


def test_gitlab_token_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", " glpat-from-env ")
    fake_glab(tmp_path / "bin", "echo glpat-from-glab\n")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert gitlab_token(API) == "glpat-from-env"


def test_glab_config_login_for_the_host(no_env_token: Path) -> None:
    fake_glab(
        no_env_token,
        'if [ "$1 $2 $3 $4 $5" = "config get token --host gitlab.example.com" ]; then echo glpat-stored; '
        "else exit 1; fi\n",
    )
    assert gitlab_host(API) == "gitlab.example.com"
    assert gitlab_token(API) == "glpat-stored"


def test_glab_auth_status_token_line_when_config_has_none(no_env_token: Path) -> None:
    fake_glab(
        no_env_token,
        'if [ "$1" = "config" ]; then exit 0; fi\n'
        'if [ "$1 $2 $3 $4 $5" = "auth status --show-token --hostname gitlab.example.com" ]; then\n'
        '  echo "gitlab.example.com" >&2\n'
        '  echo "  ✓ Logged in to gitlab.example.com as dsl-bot" >&2\n'
        '  echo "  ✓ Token: glpat-from-status" >&2\n'
        "fi\n",
    )
    assert gitlab_token(API) == "glpat-from-status"


def test_open_tracker_builds_the_gitlab_tracker_from_dsl_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with GitLabServer() as gitlab:
        gitlab.project.add_issue("Why do customers churn?", "", ["Ask"])
        monkeypatch.setenv("GITLAB_TOKEN", gitlab.token)
        (tmp_path / "dsl.toml").write_text(
            f'[project]\nname = "churn"\n\n[tracker]\nkind = "gitlab"\nproject = "{gitlab.project_path}"\n'
            f'api_url = "{gitlab.root_url}"\ntimeout = 5\n'
        )
        tracker = closed_after_test(open_tracker(find_project(tmp_path)))
        assert isinstance(tracker, GitLabTracker)
        assert tracker.get(1).title == "Why do customers churn?"
        cache = tmp_path / ".dsl" / "forge-cache" / "gitlab"
        assert any(cache.iterdir())
        assert not any(gitlab.token.encode() in p.read_bytes() for p in cache.iterdir())
