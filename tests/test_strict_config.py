"""The suite's own configuration cannot lie: with pyproject.toml's pytest settings and tests/conftest.py,
a test that leaks a socket, warns, uses an unknown marker or unexpectedly passes its xfail fails."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = textwrap.dedent(
    """
    import socket
    import warnings

    import pytest


    def test_forgets_a_socket():
        socket.socket()  # never closed: freed at once, with a ResourceWarning


    def test_forgets_a_socket_in_a_cycle():
        holder = {"socket": socket.socket()}
        holder["self"] = holder  # freed only by the garbage collector, after the test


    def test_closes_its_socket():
        with socket.socket() as sock:
            sock.setblocking(False)


    def test_warns():
        warnings.warn("something the test did not expect", UserWarning, stacklevel=1)


    @pytest.mark.xfail(reason="expected to fail")
    def test_passes_although_expected_to_fail():
        pass
    """
)

MARKER_PROBE = textwrap.dedent(
    """
    import pytest


    @pytest.mark.not_a_marker_of_this_project
    def test_unknown_marker():
        pass
    """
)


def outcomes(tmp_path: Path) -> tuple[dict[str, set[str]], str]:
    """What pytest reported for each probe test (PASSED, FAILED, ERROR), run with this project's
    pytest settings and tests/conftest.py, as the suite runs."""
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    (tmp_path / "test_marker_probe.py").write_text(MARKER_PROBE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "tests"), str(REPO)])}
    settings = ["-c", str(REPO / "pyproject.toml"), f"--rootdir={tmp_path}", "-p", "conftest"]
    options = ["-p", "no:cacheprovider", "-rA", "-q", "--continue-on-collection-errors"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *settings, *options, "test_probe.py", "test_marker_probe.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    found: dict[str, set[str]] = {}
    for word, name in re.findall(r"^(PASSED|FAILED|ERROR) test_probe\.py::(\w+)", result.stdout, re.M):
        found.setdefault(name, set()).add(word)
    return found, output


def test_a_leaked_socket_a_warning_an_unknown_marker_and_an_unexpected_pass_each_fail(tmp_path: Path) -> None:
    found, output = outcomes(tmp_path)
    assert found.get("test_closes_its_socket") == {"PASSED"}, output  # the control: the probe works
    assert "FAILED" in found.get("test_forgets_a_socket", set()), output
    assert "ERROR" in found.get("test_forgets_a_socket_in_a_cycle", set()), output  # blamed on it
    assert "FAILED" in found.get("test_warns", set()), output
    assert "FAILED" in found.get("test_passes_although_expected_to_fail", set()), output
    assert "ResourceWarning: unclosed <socket.socket" in output, output
    assert "'not_a_marker_of_this_project' not found in `markers` configuration option" in output, output
    assert "ERROR test_marker_probe.py" in output, output
