"""A small, bounds-checked FlatBuffers reader: tables, scalars, strings and vectors.

Only what a schema-driven reader needs: fields are addressed by their index in the
schema's table, every offset is checked against the buffer, and a bad one raises
`FlatBufferError` instead of reading past the end.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any


class FlatBufferError(ValueError):
    """An offset or length that points outside the buffer."""


class Table:
    """One table of a FlatBuffer: ``field`` numbers are the schema's field order."""

    __slots__ = ("_buf", "_pos", "_vsize", "_vtable")

    def __init__(self, buf: bytes, pos: int) -> None:
        self._buf = buf
        self._pos = pos
        self._vtable = pos - _unpack(buf, "<i", pos)
        self._vsize = _unpack(buf, "<H", self._vtable)

    @classmethod
    def root(cls, buf: bytes) -> Table:
        return cls(buf, _unpack(buf, "<I", 0))

    def _field(self, field: int) -> int:
        slot = 4 + 2 * field
        if slot + 2 > self._vsize:
            return 0
        offset = _unpack(self._buf, "<H", self._vtable + slot)
        return self._pos + offset if offset else 0

    def scalar(self, field: int, fmt: str, default: float = 0) -> int | float:
        at = self._field(field)
        return _unpack(self._buf, "<" + fmt, at) if at else default

    def _target(self, field: int) -> int:
        at = self._field(field)
        return at + _unpack(self._buf, "<I", at) if at else 0

    def string(self, field: int) -> str:
        at = self._target(field)
        if not at:
            return ""
        length = _unpack(self._buf, "<I", at)
        _check(self._buf, at + 4, length)
        return self._buf[at + 4 : at + 4 + length].decode(errors="replace")

    def table(self, field: int) -> Table | None:
        at = self._target(field)
        return Table(self._buf, at) if at else None

    def _vector(self, field: int, size: int) -> tuple[int, int]:
        at = self._target(field)
        if not at:
            return 0, 0
        length = _unpack(self._buf, "<I", at)
        _check(self._buf, at + 4, length * size)
        return at + 4, length

    def vector_length(self, field: int) -> int:
        return self._vector(field, 1)[1]

    def scalars(self, field: int, fmt: str) -> list[int]:
        size = struct.calcsize("<" + fmt)
        start, length = self._vector(field, size)
        return list(struct.unpack_from(f"<{length}{fmt}", self._buf, start)) if length else []

    def tables(self, field: int) -> Iterator[Table]:
        start, length = self._vector(field, 4)
        for k in range(length):
            at = start + 4 * k
            yield Table(self._buf, at + _unpack(self._buf, "<I", at))


def _check(buf: bytes, start: int, size: int) -> None:
    if start < 0 or size < 0 or start + size > len(buf):
        raise FlatBufferError(f"offset {start}+{size} is outside the {len(buf)}-byte buffer")


def _unpack(buf: bytes, fmt: str, at: int) -> Any:
    _check(buf, at, struct.calcsize(fmt))
    return struct.unpack_from(fmt, buf, at)[0]
