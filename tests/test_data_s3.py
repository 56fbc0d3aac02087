"""Dataset versions in S3: `[data] store = "s3://..."` through s3fs, against moto's server mode."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from data_support import data_project
from runs_support import dsl_json
from s3_support import s3_endpoint

__all__ = ["s3_endpoint"]  # the fixture, imported for pytest


@pytest.mark.s3_bucket("team-data")
def test_add_push_and_pull_through_s3(tmp_path: Path, s3_endpoint: str) -> None:
    import boto3

    root = data_project(tmp_path / "proj")
    with (root / "dsl.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[data]\nstore = "s3://team-data/store"\n')
    added = dsl_json(root, "data", "add", "data/customers")
    assert added["uploaded"] == 4  # three files and the folder's .dir manifest
    keys = [
        o["Key"]
        for o in boto3.client("s3", endpoint_url=s3_endpoint).list_objects_v2(Bucket="team-data")["Contents"]
    ]
    assert len(keys) == 4 and all(key.startswith("store/files/md5/") for key in keys)
    assert any(key.endswith(".dir") for key in keys)
    assert dsl_json(root, "data", "add", "data/customers")["uploaded"] == 0  # asked in bulk, nothing sent

    shutil.rmtree(root / "data" / "customers")
    pulled = dsl_json(root, "data", "pull")
    assert pulled[0]["written"] == 3
    assert (root / "data/customers/north.csv").read_text() == "id,churned\n0,0\n"
    assert dsl_json(root, "data", "status")[0]["state"] == "ok"
