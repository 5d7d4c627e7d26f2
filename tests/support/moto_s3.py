"""A moto S3 server in a subprocess on 127.0.0.1. Tests stop it and start it again to
take the endpoint away and bring it back; moto keeps buckets in memory, so each start
begins empty."""

from __future__ import annotations

import subprocess
import sys
import time

import boto3

BUCKET = "flowscope-logs"
START_SECONDS = 60


class MotoS3:
    """``python -m moto.server`` on one port, with one bucket."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                self.client().create_bucket(Bucket=BUCKET)
                return
            except Exception:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self.stop()
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)
            self._process = None

    def client(self):  # a boto3 S3 client (boto3 has no static types)
        return boto3.client("s3", endpoint_url=self.endpoint)

    def put(self, key: str, data: bytes) -> None:
        self.client().put_object(Bucket=BUCKET, Key=key, Body=data)

    def url(self, prefix: str) -> str:
        return f"s3://{BUCKET}/{prefix}"
