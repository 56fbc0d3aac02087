"""Where the GitLab tracker finds its token: ``GITLAB_TOKEN``, else the login of ``glab`` (GitLab's CLI).

The token is only ever returned to the caller; nothing here prints, logs or stores it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from urllib.parse import urlsplit

from ..errors import ConfigError

ACCESS_HINT = (
    "GitLab needs a personal or project access token with the `api` scope (a `read_api` token can only "
    "read): create one under Settings > Access tokens and export it as GITLAB_TOKEN, or `glab auth login`."
)


def gitlab_host(api_url: str) -> str:
    """The host ``glab`` files a login under: ``gitlab.example.com`` (with ``:port`` when there is one)."""
    return urlsplit(api_url).netloc


def gitlab_token(api_url: str, *, timeout: float = 10.0) -> str:
    """The token for the instance at ``api_url``; ConfigError (saying how to get one) when there is none."""
    token = os.environ.get("GITLAB_TOKEN", "").strip()
    if token:
        return token
    token = _glab_token(gitlab_host(api_url), timeout)
    if token:
        return token
    raise ConfigError("no GitLab token: GITLAB_TOKEN is not set and `glab` has no login", hint=ACCESS_HINT)


def _glab_token(host: str, timeout: float) -> str:
    """``glab config get token --host H`` (its stored login), else the ``Token:`` line of
    ``glab auth status -t --hostname H``. Empty when glab is not installed or has no login for ``host``."""
    glab = shutil.which("glab")
    if glab is None:
        return ""
    commands = (
        [glab, "config", "get", "token", "--host", host],
        [glab, "auth", "status", "--show-token", "--hostname", host],
    )
    for command in commands:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode != 0:
            continue
        if command[1] == "config":
            token = done.stdout.strip()
        else:  # glab prints its status (token line included) on stderr
            token = next(
                (
                    line.split("Token:", 1)[1].strip()
                    for line in (done.stderr + done.stdout).splitlines()
                    if "Token:" in line
                ),
                "",
            )
        if token and " " not in token and not set(token) <= {"*"}:
            return token
    return ""
