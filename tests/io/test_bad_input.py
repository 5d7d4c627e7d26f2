"""Bad input: each problem is logged naming the file, and nothing else is lost."""

from __future__ import annotations

import io
import logging
import shutil
import struct

import pytest
from fsspec.implementations.local import LocalFileSystem

from flowscope.io import records
from flowscope.io.files import Location
from tests.support.records import (
    event_file_name,
    file_version_event,
    reference_masked_crc,
    scalar_event,
    tf_record,
    write_event_file,
)
from tests.support.reference import open_logdir


def good_events(steps, tag="loss"):
    return [file_version_event()] + [scalar_event(tag, s, s / 10) for s in steps]


def event_bytes(steps, tag="loss") -> bytes:
    return b"".join(tf_record(e.SerializeToString()) for e in good_events(steps, tag))


def steps_of(ld, run, tag="loss"):
    return ld.scalars(run=run, tag=tag)["step"].tolist()


def problems(caplog, level=logging.WARNING):
    return [r.getMessage() for r in caplog.records if r.levelno >= level and r.name.startswith("flowscope")]


@pytest.fixture
def logdir(tmp_path):
    """A logdir with an intact run "good" next to whatever a test breaks."""
    write_event_file(tmp_path / "good" / event_file_name(1000), good_events(range(5)))
    return tmp_path


def assert_good_run_intact(ld):
    assert steps_of(ld, "good") == list(range(5))


# ---- truncated files ----

def test_truncated_file_followed_by_another_is_reported(logdir, caplog):
    blob = event_bytes(range(4))
    path = logdir / "run" / event_file_name(1000)
    path.parent.mkdir()
    path.write_bytes(blob[:-7])  # the last record is cut
    write_event_file(logdir / "run" / event_file_name(2000), good_events(range(10, 13)))
    with caplog.at_level(logging.WARNING):
        ld = open_logdir(logdir)
    assert steps_of(ld, "run") == [0, 1, 2, 10, 11, 12]
    assert_good_run_intact(ld)
    messages = problems(caplog)
    assert len(messages) == 1 and str(path) in messages[0] and "truncated" in messages[0]
    caplog.clear()
    ld.reload()
    assert problems(caplog) == [] and steps_of(ld, "run") == [0, 1, 2, 10, 11, 12]


def test_truncated_last_file_is_a_write_in_progress(logdir, caplog):
    blob = event_bytes(range(4))
    path = logdir / "run" / event_file_name(1000)
    path.parent.mkdir()
    for cut in (len(blob) - 7, len(blob) - 20, len(blob) - 30):
        path.write_bytes(blob[:cut])
        with caplog.at_level(logging.WARNING):
            ld = open_logdir(logdir)
        assert steps_of(ld, "run") == [0, 1, 2]
        assert problems(caplog) == []
    # The writer finishes the record and goes on: the reader resumes where it stopped.
    with open(path, "ab") as f:
        f.write(blob[len(blob) - 30:])
        f.write(tf_record(scalar_event("loss", 4, 0.4).SerializeToString()))
    with caplog.at_level(logging.WARNING):
        assert ld.reload()
    assert steps_of(ld, "run") == [0, 1, 2, 3, 4]
    assert problems(caplog) == []
    assert_good_run_intact(ld)


def test_truncated_file_becomes_final_when_a_new_file_appears(logdir, caplog):
    blob = event_bytes(range(4))
    path = logdir / "run" / event_file_name(1000)
    path.parent.mkdir()
    path.write_bytes(blob[:-7])
    ld = open_logdir(logdir)
    assert problems(caplog) == []
    write_event_file(logdir / "run" / event_file_name(2000), good_events([20]))
    with caplog.at_level(logging.WARNING):
        ld.reload()
    assert steps_of(ld, "run") == [0, 1, 2, 20]
    messages = problems(caplog)
    assert len(messages) == 1 and str(path) in messages[0]


# ---- corrupt records ----

@pytest.mark.parametrize("where", ["data", "length", "length_crc", "data_crc"])
def test_flipped_byte_in_a_record(logdir, caplog, where):
    blob = bytearray(event_bytes(range(6)))
    bounds = []
    pos = 0
    while pos < len(blob):
        (length,) = struct.unpack_from("<Q", blob, pos)
        bounds.append((pos, pos + 16 + length))
        pos += 16 + length
    start, end = bounds[3]  # the record of step 2 (record 0 is the file version)
    offset = {"data": start + 14, "length": start + 1, "length_crc": start + 9, "data_crc": end - 2}[where]
    blob[offset] ^= 0x40
    path = logdir / "run" / event_file_name(1000)
    path.parent.mkdir()
    path.write_bytes(bytes(blob))
    with caplog.at_level(logging.WARNING):
        ld = open_logdir(logdir)
    assert steps_of(ld, "run") == [0, 1, 3, 4, 5]
    assert_good_run_intact(ld)
    messages = problems(caplog)
    assert len(messages) == 1 and str(path) in messages[0]
    # Reloading does not report it again nor read anything twice.
    caplog.clear()
    ld.reload()
    assert steps_of(ld, "run") == [0, 1, 3, 4, 5] and problems(caplog) == []


def test_record_that_is_not_an_event(logdir, caplog):
    path = write_event_file(logdir / "run" / event_file_name(1000),
                            [*good_events([0, 1]), b"\xff\xff\xff not a proto", scalar_event("loss", 2, 0.2)])
    with caplog.at_level(logging.WARNING):
        ld = open_logdir(logdir)
    assert steps_of(ld, "run") == [0, 1, 2]
    messages = problems(caplog)
    assert len(messages) == 1 and str(path) in messages[0]


# ---- files that are not event files ----

@pytest.mark.parametrize("last", [True, False])
def test_zero_length_file(logdir, caplog, last):
    empty = logdir / "run" / event_file_name(3000 if last else 500)
    empty.parent.mkdir()
    empty.write_bytes(b"")
    write_event_file(logdir / "run" / event_file_name(1000), good_events(range(3)))
    with caplog.at_level(logging.WARNING):
        ld = open_logdir(logdir)
        ld.reload()
    assert steps_of(ld, "run") == [0, 1, 2]
    assert_good_run_intact(ld)
    messages = problems(caplog)
    assert len(messages) == 1 and str(empty) in messages[0] and "empty" in messages[0]


@pytest.mark.parametrize("content", [
    bytes(range(256)) * 40,
    b"this is a README, not an event file\n" * 20,
    b'{"json": "document", "n": [1, 2, 3]}',
    b"\x00" * 100,
])
@pytest.mark.parametrize("last", [True, False])
def test_non_event_file_named_tfevents(logdir, caplog, content, last):
    import numpy as np

    if content == bytes(range(256)) * 40:
        content = np.random.RandomState(len(content)).bytes(len(content))
    bogus = logdir / "run" / event_file_name(3000 if last else 500)
    bogus.parent.mkdir()
    bogus.write_bytes(content)
    write_event_file(logdir / "run" / event_file_name(1000), good_events(range(3)))
    write_event_file(logdir / "other" / "events.out.tfevents.notes.txt", [])
    (logdir / "other" / "events.out.tfevents.notes.txt").write_bytes(content)
    with caplog.at_level(logging.WARNING):
        ld = open_logdir(logdir)
        ld.reload()
    assert steps_of(ld, "run") == [0, 1, 2]
    assert_good_run_intact(ld)
    messages = problems(caplog)
    for path in (bogus, logdir / "other" / "events.out.tfevents.notes.txt"):
        mine = [m for m in messages if str(path) in m]
        assert len(mine) == 1, messages
    assert len(messages) == 2


@pytest.mark.parametrize("claimed", [1 << 30, (1 << 31) - 1, 3 << 30, 1 << 40, (1 << 64) - 1])
@pytest.mark.parametrize("last", [True, False])
def test_length_claiming_gigabytes(logdir, caplog, claimed, last):
    header = struct.pack("<Q", claimed)
    bogus = header + struct.pack("<I", reference_masked_crc(header)) + b"garbage!" * 3
    blob = event_bytes([0, 1]) + bogus + b"".join(tf_record(scalar_event("loss", s, s).SerializeToString())
                                                 for s in (2, 3))
    path = logdir / "run" / event_file_name(1000)
    path.parent.mkdir()
    path.write_bytes(blob)
    if not last:
        write_event_file(logdir / "run" / event_file_name(2000), good_events([10]))
    with caplog.at_level(logging.WARNING):
        ld = open_logdir(logdir)
    assert steps_of(ld, "run") == [0, 1, 2, 3] + ([] if last else [10])
    assert_good_run_intact(ld)
    messages = problems(caplog)
    assert len(messages) == 1 and str(path) in messages[0], messages
    caplog.clear()
    ld.reload()
    assert problems(caplog) == []


# ---- runs and files that disappear ----

def test_run_directory_deleted_between_reloads(logdir, caplog):
    write_event_file(logdir / "doomed" / event_file_name(1000), good_events(range(3)))
    ld = open_logdir(logdir)
    shutil.rmtree(logdir / "doomed")
    with open(logdir / "good" / event_file_name(1000), "ab") as f:
        f.write(tf_record(scalar_event("loss", 5, 0.5).SerializeToString()))
    with caplog.at_level(logging.WARNING):
        ld.reload()
    messages = problems(caplog)
    assert len(messages) == 1 and "doomed" in messages[0]
    assert steps_of(ld, "good") == list(range(6))  # the others go on
    assert steps_of(ld, "doomed") == [0, 1, 2]  # what was read is kept
    caplog.clear()
    ld.reload()
    assert problems(caplog) == []  # reported once
    # It comes back: new data is read again.
    write_event_file(logdir / "doomed" / event_file_name(2000), good_events([7]))
    ld.reload()
    assert steps_of(ld, "doomed") == [0, 1, 2, 7]


def test_run_directory_deleted_after_listing(logdir, caplog, monkeypatch):
    """The directory vanishes between the listing and the opening of its files."""
    write_event_file(logdir / "doomed" / event_file_name(1000), good_events(range(3)))
    write_event_file(logdir / "doomed" / event_file_name(2000), good_events(range(3, 5)))
    scan = Location.scan

    def list_then_delete(self):
        listing = scan(self)
        shutil.rmtree(logdir / "doomed", ignore_errors=True)
        return listing

    monkeypatch.setattr(Location, "scan", list_then_delete)
    with caplog.at_level(logging.WARNING):
        ld = open_logdir(logdir)
    assert_good_run_intact(ld)
    messages = problems(caplog)
    assert messages and all("doomed" in m for m in messages)
    assert any(event_file_name(1000) in m for m in messages)
    monkeypatch.undo()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        ld.reload()
    assert_good_run_intact(ld)


class VanishingFile(io.BytesIO):
    """A file whose object is deleted after the first read (as on object stores)."""

    def __init__(self, data: bytes, error: OSError) -> None:
        super().__init__(data)
        self.reads = 0
        self.error = error

    def read(self, size=-1):
        self.reads += 1
        if self.reads > 1:
            raise self.error
        return super().read(size)


@pytest.mark.parametrize("error", [FileNotFoundError(2, "No such file or directory"), OSError(5, "I/O error")])
def test_file_vanishes_mid_read(logdir, caplog, monkeypatch, error):
    monkeypatch.setattr(records, "CHUNK_BYTES", 64)
    doomed = write_event_file(logdir / "doomed" / event_file_name(1000), good_events(range(20)))
    write_event_file(logdir / "doomed" / event_file_name(2000), good_events(range(20, 22)))
    real_open = LocalFileSystem.open
    broken = [True]

    def open_(self, path, mode="rb", **kwargs):
        if str(path) == str(doomed) and broken[0]:
            return VanishingFile(doomed.read_bytes(), error)
        return real_open(self, path, mode, **kwargs)

    monkeypatch.setattr(LocalFileSystem, "open", open_)
    with caplog.at_level(logging.WARNING):
        ld = open_logdir(logdir)
    assert_good_run_intact(ld)
    got = steps_of(ld, "doomed")
    assert 0 < len(got) < 22 and got[-2:] == [20, 21]
    messages = problems(caplog)
    assert len(messages) == 1 and str(doomed) in messages[0]
    broken[0] = False
    caplog.clear()
    if isinstance(error, FileNotFoundError):
        doomed.unlink()
        with caplog.at_level(logging.WARNING):
            ld.reload()
        assert steps_of(ld, "doomed") == got  # nothing lost, nothing twice
    else:
        # A transient error: the next reload goes on from where the read stopped.
        ld.reload()
        assert sorted(steps_of(ld, "doomed")) == sorted(set(range(22)))
        assert len(steps_of(ld, "doomed")) == 22


def test_logdir_that_does_not_exist(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        ld = open_logdir(tmp_path / "missing")
    assert ld.run_names() == []
    write_event_file(tmp_path / "missing" / event_file_name(1000), good_events([1]))
    ld.reload()
    assert steps_of(ld, ".") == [1]


# ---- memory ----

def test_a_file_is_never_read_whole(tmp_path, monkeypatch):
    """Every read asks for at most a chunk, or one record when it is bigger."""
    import numpy as np
    from tensorboard.compat.proto import summary_pb2

    from tests.support.records import event

    monkeypatch.setattr(records, "CHUNK_BYTES", 4096)
    big = event(1, summary=summary_pb2.Summary(value=[summary_pb2.Summary.Value(
        tag="img", image=summary_pb2.Summary.Image(width=1, height=1, encoded_image_string=np.random.bytes(20000)))]))
    events = good_events(range(2000)) + [big] + [scalar_event("loss", s, 0.0) for s in range(2000, 2100)]
    path = write_event_file(tmp_path / event_file_name(1000), events)
    largest = len(tf_record(big.SerializeToString()))
    sizes = []
    real_open = LocalFileSystem.open

    def open_(self, p, mode="rb", **kwargs):
        f = real_open(self, p, mode, **kwargs)
        real_read = f.read

        def read(size=-1):
            sizes.append(size)
            return real_read(size)

        f.read = read
        return f

    monkeypatch.setattr(LocalFileSystem, "open", open_)
    ld = open_logdir(tmp_path)
    assert len(ld.scalars()) == 2100
    assert len(sizes) > 10
    assert all(0 < s <= 4096 + largest for s in sizes), max(sizes)
    assert path.stat().st_size > 4096 + largest
