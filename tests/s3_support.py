"""A real S3 protocol endpoint for the tests: moto's server mode on a free local port, written to
through s3fs as a user's `s3://` store is, with the AWS variables set for this process and for the
CLI's subprocesses. The fixture makes the bucket a test names with ``@pytest.mark.s3_bucket``."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import runs_support


@pytest.fixture()
def s3_endpoint(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    import s3fs  # noqa: F401  (the test extras install it: a missing one fails, never skips)
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    settings = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)  # this process (the core's reads)
        monkeypatch.setitem(runs_support.ENV, name, value)  # the CLI's subprocesses
    import boto3

    marker = request.node.get_closest_marker("s3_bucket")
    if marker is not None:
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=marker.args[0])
    try:
        yield endpoint
    finally:
        server.stop()
