"""TFRecord framing and masked CRC-32C: property tests against independent references."""

from __future__ import annotations

import contextlib
import io
import logging
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowscope.io import records
from flowscope.io.records import RecordReader, frame, masked_crc
from tests.support.records import (
    read_settings,
    record_bounds,
    reference_crc32c,
    reference_masked_crc,
    tf_record,
)

payloads = st.lists(st.binary(max_size=300), max_size=12)


class GrowingFile:
    """What a reader sees of a file a writer is appending to: the bytes so far."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.read_sizes: list[int] = []

    def open(self) -> io.BytesIO:
        parent = self

        class Tracked(io.BytesIO):
            def read(self, size: int | None = -1) -> bytes:
                parent.read_sizes.append(-1 if size is None else size)
                return super().read(size)

        return Tracked(bytes(self.data))


@contextlib.contextmanager
def capture_warnings():
    """Messages of WARNING and above from flowscope.io (usable inside hypothesis tests)."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("flowscope.io")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def read_all(blob: bytes, final: bool = False) -> tuple[list[bytes], RecordReader]:
    reader = RecordReader(lambda: io.BytesIO(blob), "mem.tfevents")
    return list(reader.read(final)), reader


# ---- CRC ----

def test_reference_crc32c_known_values():
    # The CRC-32C check value and RFC 3720 B.4 test vectors.
    assert reference_crc32c(b"123456789") == 0xE3069283
    assert reference_crc32c(bytes(32)) == 0x8A9136AA
    assert reference_crc32c(bytes([0xFF] * 32)) == 0x62A8AB43
    assert reference_crc32c(bytes(range(32))) == 0x46DD794E


@read_settings
@given(st.binary(max_size=2000))
def test_masked_crc_matches_reference(data):
    assert masked_crc(data) == reference_masked_crc(data)
    assert masked_crc(memoryview(data)) == reference_masked_crc(data)


@read_settings
@given(st.binary(max_size=500))
def test_masked_crc_matches_tensorboard(data):
    from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c

    assert masked_crc(data) == masked_crc32c(data)


# ---- framing ----

@read_settings
@given(st.binary(max_size=1000))
def test_frame_matches_reference_and_tensorboard_framing(data):
    from tensorboard.summary.writer.record_writer import RecordWriter

    out = io.BytesIO()
    RecordWriter(out).write(data)
    assert frame(data) == tf_record(data) == out.getvalue()


@read_settings
@given(payloads)
def test_round_trip(items):
    got, reader = read_all(b"".join(frame(p) for p in items), final=True)
    assert got == items
    assert reader.records_read == len(items) and reader.records_skipped == 0
    assert reader.pending_bytes == 0 and not reader.dead


@read_settings
@given(payloads, st.lists(st.integers(0, 10**6), max_size=8))
def test_appended_file_yields_each_record_exactly_once(items, cut_points):
    blob = b"".join(frame(p) for p in items)
    cuts = sorted({c % (len(blob) + 1) for c in cut_points}) + [len(blob)]
    growing = GrowingFile()
    reader = RecordReader(growing.open, "growing.tfevents")
    got = []
    for cut in cuts:
        growing.data[:] = blob[:cut]
        got += list(reader.read())
        # Exactly the records complete in the prefix, no more, no less.
        complete = [i for i, (_, end) in enumerate(record_bounds(blob)) if end <= cut]
        assert got == [items[i] for i in complete]
        assert reader.offset == (record_bounds(blob)[complete[-1]][1] if complete else 0)
    assert got == items
    assert list(reader.read(final=True)) == []
    assert not reader.dead and reader.records_skipped == 0


def test_partial_record_is_not_an_error(caplog):
    blob = frame(b"one") + frame(b"two")
    growing = GrowingFile()
    reader = RecordReader(growing.open, "growing.tfevents")
    growing.data[:] = blob[:-3]
    with caplog.at_level(logging.DEBUG):
        assert list(reader.read()) == [b"one"]
    assert reader.pending_bytes == len(frame(b"two")) - 3
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    growing.data[:] = blob
    assert list(reader.read()) == [b"two"]


@read_settings
@given(
    st.lists(st.binary(min_size=1, max_size=200), min_size=1, max_size=8),
    st.data(),
)
def test_corrupt_data_byte_skips_exactly_that_record(items, data):
    blob = bytearray(b"".join(frame(p) for p in items))
    bounds = record_bounds(bytes(blob))
    victim = data.draw(st.integers(0, len(items) - 1), label="victim")
    start, end = bounds[victim]
    position = data.draw(st.integers(start + 12, end - 5), label="position")
    blob[position] ^= data.draw(st.integers(1, 255), label="xor")
    with capture_warnings() as messages:
        got, reader = read_all(bytes(blob), final=True)
    assert got == items[:victim] + items[victim + 1:]
    assert reader.records_skipped == 1 and not reader.dead
    assert len(messages) == 1 and "mem.tfevents" in messages[0]


@read_settings
@given(
    st.lists(st.binary(min_size=0, max_size=200), min_size=2, max_size=8),
    st.data(),
)
def test_corrupt_framing_byte_loses_only_that_record(items, data):
    """A flipped byte in a length, its CRC or a data CRC: the record is skipped, the
    reader finds the next record and reads everything after it."""
    blob = bytearray(b"".join(frame(p) for p in items))
    bounds = record_bounds(bytes(blob))
    victim = data.draw(st.integers(0, len(items) - 1), label="victim")
    start, end = bounds[victim]
    position = data.draw(st.sampled_from([*range(start, start + 12), *range(end - 4, end)]), label="position")
    blob[position] ^= data.draw(st.integers(1, 255), label="xor")
    with capture_warnings() as messages:
        got, _ = read_all(bytes(blob), final=True)
    assert got == items[:victim] + items[victim + 1:]
    assert messages and all("mem.tfevents" in m for m in messages)


def test_corrupt_record_is_logged_with_file_name(caplog):
    blob = bytearray(frame(b"good") + frame(b"evil") + frame(b"after"))
    blob[len(frame(b"good")) + 13] ^= 1
    reader = RecordReader(lambda: io.BytesIO(bytes(blob)), "/logs/run/events.out.tfevents.1.host")
    with caplog.at_level(logging.WARNING):
        assert list(reader.read()) == [b"good", b"after"]
    (message,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "/logs/run/events.out.tfevents.1.host" in message and "CRC" in message


def test_reads_are_bounded_by_chunk_and_record_size(monkeypatch):
    """The file is never read whole: each read asks for at most one chunk, or one
    record when a record is bigger than a chunk."""
    monkeypatch.setattr(records, "CHUNK_BYTES", 256)
    items = [bytes([i % 251]) * (i * 37 % 700) for i in range(60)]
    blob = b"".join(frame(p) for p in items)
    growing = GrowingFile()
    growing.data[:] = blob
    reader = RecordReader(growing.open, "big.tfevents")
    assert list(reader.read(final=True)) == items
    largest = max(len(frame(p)) for p in items)
    assert growing.read_sizes and all(0 < s <= 256 + largest for s in growing.read_sizes)
    assert sum(max(s, 0) for s in growing.read_sizes) < 3 * len(blob)


def test_records_across_many_chunks(monkeypatch):
    monkeypatch.setattr(records, "CHUNK_BYTES", 7)
    items = [b"x" * n for n in range(40)]
    got, _ = read_all(b"".join(frame(p) for p in items), final=True)
    assert got == items


def test_empty_and_tiny_inputs():
    assert read_all(b"")[0] == []
    got, reader = read_all(frame(b"")[:5])
    assert got == [] and reader.pending_bytes == 5 and not reader.dead


@pytest.mark.parametrize("claimed", [2**32, 3 * 2**30, 2**40, 2**63 + 5])
def test_absurd_length_with_valid_crc_is_skipped(claimed, caplog):
    header = struct.pack("<Q", claimed)
    bogus = header + struct.pack("<I", reference_masked_crc(header)) + b"junk" * 5
    blob = frame(b"before") + bogus + frame(b"after1") + frame(b"after2")
    growing = GrowingFile()
    growing.data[:] = blob
    reader = RecordReader(growing.open, "/x/events.out.tfevents.1.h")
    with caplog.at_level(logging.WARNING):
        assert list(reader.read()) == [b"before", b"after1", b"after2"]
    assert any("/x/events.out.tfevents.1.h" in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    assert max(growing.read_sizes) <= records.CHUNK_BYTES + 100
