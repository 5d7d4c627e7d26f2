"""A moto S3 server per test, reached the way users reach theirs: through AWS_ENDPOINT_URL
and the AWS credential variables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import s3fs

from tests.support.moto_s3 import MotoS3
from tests.support.servers import free_port


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoS3]:
    server = MotoS3(free_port())
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")  # an unreachable endpoint fails at once
    s3fs.S3FileSystem.clear_instance_cache()  # a cached instance keeps its old endpoint
    server.start()
    yield server
    server.stop()
    s3fs.S3FileSystem.clear_instance_cache()
