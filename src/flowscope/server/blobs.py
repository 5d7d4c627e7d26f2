"""Opaque keys for one image or audio clip, and the media type of image bytes."""

from __future__ import annotations

import base64
import binascii

import orjson

from flowscope.server.errors import bad_request

_IMAGE_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
]


def encode_key(run: str, tag: str, step: int, index: int) -> str:
    """A URL-safe key naming the ``index``-th blob of ``tag`` at ``step``."""
    raw = orjson.dumps([run, tag, step, index])
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_key(key: str) -> tuple[str, str, int, int]:
    try:
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
        run, tag, step, index = orjson.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise bad_request(f"malformed blob_key {key!r}") from None
    if not (
        isinstance(run, str)
        and isinstance(tag, str)
        and isinstance(step, int)
        and isinstance(index, int)
    ):
        raise bad_request(f"malformed blob_key {key!r}")
    return run, tag, step, index


def image_media_type(data: bytes) -> str:
    for signature, media_type in _IMAGE_SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"
