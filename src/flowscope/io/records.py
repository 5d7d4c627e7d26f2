"""TFRecord framing: ``uint64 length | uint32 masked_crc(length) | data | uint32 masked_crc(data)``.

`RecordReader` reads one file incrementally and never holds more than one chunk
(or one record) in memory. A record that is still being written stops the read
and is picked up on the next call; a corrupt record is reported and skipped.
"""

from __future__ import annotations

import contextlib
import logging
import struct
from collections.abc import Callable, Iterator
from typing import Protocol

import crc32c

log = logging.getLogger(__name__)

HEADER_BYTES = 12
FOOTER_BYTES = 4
CHUNK_BYTES = (
    1 << 16
)  # small batches: parsed events are short-lived, and big ones fragment the heap
MAX_RECORD_BYTES = 1 << 31  # protobuf cannot parse more than 2 GiB anyway
RESYNC_WINDOW_BYTES = 1 << 20
HEAD_BYTES = 64  # kept from the start of a file: its first record, which tells one file from another
_MASK_DELTA = 0xA282EAD8
_u64 = struct.Struct("<Q")
_u32 = struct.Struct("<I")
_header = struct.Struct("<QI")


def masked_crc(data: bytes | memoryview) -> int:
    """TensorFlow's masked CRC-32C of ``data``."""
    crc = crc32c.crc32c(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def frame(data: bytes) -> bytes:
    """Frames ``data`` as one TFRecord."""
    length = _u64.pack(len(data))
    return length + _u32.pack(masked_crc(length)) + data + _u32.pack(masked_crc(data))


def _header_at(buf: bytes, pos: int) -> int | None:
    """The record length at ``pos`` if its header CRC is valid."""
    if masked_crc(buf[pos : pos + 8]) != _u32.unpack_from(buf, pos + 8)[0]:
        return None
    return _u64.unpack_from(buf, pos)[0]


class ReadableFile(Protocol):
    """What `RecordReader` needs of a file."""

    def seek(self, offset: int, whence: int = ..., /) -> int: ...

    def read(self, size: int = ..., /) -> bytes: ...

    def close(self) -> None: ...


class RecordReader:
    """Reads the records of one file from ``offset`` on, remembering where it stopped.

    ``opener`` returns a binary file object; it is called once per `read`. `head`
    holds the file's first bytes as seen when reading began.
    """

    def __init__(self, opener: Callable[[], ReadableFile], name: str, offset: int = 0) -> None:
        self._open = opener
        self.name = name
        self.offset = offset
        self.head = b""
        self.dead = False  # set when the file is clearly not a record file
        self.records_read = 0
        self.records_skipped = 0
        self.pending_bytes = 0  # bytes of an incomplete record at the end
        self.batch_offsets: list[int] = []  # file offset of each record of the last batch
        self._problem = ""
        self._checked_overrun = -1  # offset of the last record checked by `_after_overrun`

    def read(self, final: bool = False) -> Iterator[bytes]:
        """Yields each complete record after `offset`, advancing it.

        ``final`` says the file will not grow any more, so an incomplete record at
        its end is a truncation to report rather than a write in progress.
        """
        for batch in self.read_batches(final):
            yield from batch

    def read_batches(self, final: bool = False) -> Iterator[list[bytes]]:
        """Like `read`, but yields the records of each chunk read as one list."""
        if self.dead:
            return
        with contextlib.closing(self._open()) as f:
            if self.offset == 0:
                self.head = f.read(HEAD_BYTES)
            f.seek(self.offset)
            yield from self._scan(f)
        if final and self.pending_bytes:
            log.warning(
                "%s: file is truncated: the last %d bytes at offset %d are an incomplete record",
                self.name,
                self.pending_bytes,
                self.offset,
            )
            self.dead = True

    def _scan(self, f: ReadableFile) -> Iterator[list[bytes]]:
        buf = b""
        pos = 0  # position in buf of the next record
        base = self.offset  # file offset of buf[0]
        eof = False
        while True:
            batch, starts, pos, need = self._complete_records(buf, pos, base)
            self.offset = base + pos
            if batch:
                self.records_read += len(batch)
                self.batch_offsets = starts
                yield batch
            if need == 0:  # a bad header at pos
                resync = self._resync(buf, pos)
                if resync is not None:
                    pos = resync
                    self.offset = base + pos
                    continue
                if eof or len(buf) - pos > RESYNC_WINDOW_BYTES + HEADER_BYTES:
                    self._give_up(base + pos)
                    return
                need = len(buf) - pos + CHUNK_BYTES
            if eof:
                if need > HEADER_BYTES and self._checked_overrun != base + pos:
                    # A length running past the end of the file: a write in progress,
                    # unless a complete valid record follows (then the length is corrupt).
                    self._checked_overrun = base + pos
                    after = self._after_overrun(buf, pos)
                    if after is not None:
                        self.records_skipped += 1
                        log.warning(
                            "%s: skipped %d corrupt bytes at offset %d (its length field claims %d "
                            "bytes, past the end of the file, and valid records follow)",
                            self.name,
                            after - pos,
                            base + pos,
                            _u64.unpack_from(buf, pos)[0],
                        )
                        pos = after
                        self.offset = base + pos
                        continue
                self.pending_bytes = len(buf) - pos
                return
            chunk = f.read(max(CHUNK_BYTES, need - (len(buf) - pos)))
            if not chunk:
                eof = True
                continue
            buf = buf[pos:] + chunk
            base += pos
            pos = 0

    def _complete_records(self, buf: bytes, pos: int, base: int) -> tuple[list[bytes], list[int], int, int]:
        """The valid records in ``buf`` from ``pos`` on, their file offsets, the position
        after them, and how many bytes the next record needs (0 when its header is bad)."""
        batch: list[bytes] = []
        starts: list[int] = []
        append = batch.append
        size = len(buf)
        crc = crc32c.crc32c
        while size - pos >= HEADER_BYTES:
            length, length_crc = _header.unpack_from(buf, pos)
            c = crc(buf[pos : pos + 8])
            if (
                ((c >> 15) | (c << 17)) + _MASK_DELTA
            ) & 0xFFFFFFFF != length_crc or length > MAX_RECORD_BYTES:
                self._problem = (
                    "its length CRC does not match"
                    if length <= MAX_RECORD_BYTES
                    else f"its length field claims {length} bytes"
                )
                return batch, starts, pos, 0
            end = pos + HEADER_BYTES + length + FOOTER_BYTES
            if end > size:
                return batch, starts, pos, end - pos
            data = buf[pos + HEADER_BYTES : end - FOOTER_BYTES]
            c = crc(data)
            if (((c >> 15) | (c << 17)) + _MASK_DELTA) & 0xFFFFFFFF == _u32.unpack_from(
                buf, end - FOOTER_BYTES
            )[0]:
                append(data)
                starts.append(base + pos)
            else:
                self.records_skipped += 1
                log.warning(
                    "%s: skipped a %d-byte record at offset %d: its data CRC does not match",
                    self.name,
                    length,
                    base + pos,
                )
            pos = end
        return batch, starts, pos, HEADER_BYTES

    def _resync(self, buf: bytes, pos: int) -> int | None:
        """Finds the next valid record header after a bad one at ``pos``, or None."""
        stop = min(len(buf) - HEADER_BYTES, pos + RESYNC_WINDOW_BYTES)
        for candidate in range(pos + 1, stop + 1):
            found = _header_at(buf, candidate)
            if found is not None and found <= MAX_RECORD_BYTES:
                self.records_skipped += 1
                log.warning(
                    "%s: skipped %d corrupt bytes at offset %d (%s)",
                    self.name,
                    candidate - pos,
                    self.offset,
                    self._problem,
                )
                return candidate
        return None

    def _after_overrun(self, buf: bytes, pos: int) -> int | None:
        """The start of the first complete record with valid CRCs after ``pos``, or None."""
        stop = min(len(buf), pos + RESYNC_WINDOW_BYTES)
        candidate = pos
        while True:
            # A valid length is below 2**32, so its four high bytes are zero.
            zeros = buf.find(b"\0\0\0\0", candidate + 5, stop)
            if zeros < 0:
                return None
            candidate = zeros - 4
            length = _header_at(buf, candidate) if candidate + HEADER_BYTES <= len(buf) else None
            end = candidate + HEADER_BYTES + (length or 0) + FOOTER_BYTES
            if length is not None and end <= len(buf):
                data = buf[candidate + HEADER_BYTES : end - FOOTER_BYTES]
                if masked_crc(data) == _u32.unpack_from(buf, end - FOOTER_BYTES)[0]:
                    return candidate

    def _give_up(self, offset: int) -> None:
        self.dead = True
        what = "not a TFRecord event file" if offset == 0 else "corrupt from here on"
        log.error(
            "%s: no valid record found at or after offset %d (%s): %s; stopped reading it",
            self.name,
            offset,
            self._problem,
            what,
        )
