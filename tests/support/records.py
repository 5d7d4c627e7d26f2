"""Event files written independently of flowscope: a reference CRC-32C and TFRecord
framing, events built with tensorboard's own protos, and files written through
tensorboard's `EventFileWriter`."""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable
from pathlib import Path

import crc32c
from hypothesis import HealthCheck, settings

# Settings of the property tests of the reading side (not a global profile: other test
# directories have their own). FLOWSCOPE_EXAMPLES=2000 for a thorough run.
read_settings = settings(
    deadline=None,
    max_examples=int(os.environ.get("FLOWSCOPE_EXAMPLES", "60")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# ---------------------------------------------------------------------------
# A reference CRC-32C and TFRecord framing, written independently of flowscope
# ---------------------------------------------------------------------------

def _crc32c_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc32c_table()


def reference_crc32c(data: bytes) -> int:
    """Bitwise-table CRC-32C (Castagnoli), reflected, init and xor-out 0xFFFFFFFF."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def mask(crc: int) -> int:
    rotated = ((crc >> 15) | (crc << 17)) & 0xFFFFFFFF
    return (rotated + 0xA282EAD8) & 0xFFFFFFFF


def reference_masked_crc(data: bytes) -> int:
    return mask(reference_crc32c(data))


def tf_record(data: bytes) -> bytes:
    """One TFRecord (the C crc32c is checked against `reference_crc32c` in test_records)."""
    header = struct.pack("<Q", len(data))
    return (
        header
        + struct.pack("<I", mask(crc32c.crc32c(header)))
        + data
        + struct.pack("<I", mask(crc32c.crc32c(data)))
    )


def record_bounds(blob: bytes) -> list[tuple[int, int]]:
    """(start, end) of each record in a well-formed record file."""
    bounds, pos = [], 0
    while pos < len(blob):
        (length,) = struct.unpack_from("<Q", blob, pos)
        end = pos + 12 + length + 4
        bounds.append((pos, end))
        pos = end
    return bounds


# ---------------------------------------------------------------------------
# Events, written with tensorboard's own protos
# ---------------------------------------------------------------------------

def tb_protos():
    from tensorboard.compat.proto import event_pb2, summary_pb2

    return event_pb2, summary_pb2


_clock = [1_700_000_000.0]


def next_wall_time() -> float:
    _clock[0] += 0.25
    return _clock[0]


def event(step: int = 0, wall_time: float | None = None, **fields):
    event_pb2, _ = tb_protos()
    return event_pb2.Event(step=step, wall_time=next_wall_time() if wall_time is None else wall_time, **fields)


def file_version_event(version: str = "brain.Event:2"):
    return event(file_version=version)


def scalar_event(tag: str, step: int, value: float, wall_time: float | None = None):
    _, summary_pb2 = tb_protos()
    summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)])
    return event(step, wall_time, summary=summary)


def summary_event(summary, step: int, wall_time: float | None = None):
    return event(step, wall_time, summary=summary)


def tensor_proto(dtype: str, shape: list[int], **fields):
    """A tensorboard ``TensorProto`` of ``dtype`` (e.g. "DT_FLOAT"), ``shape`` and ``fields``."""
    from tensorboard.compat.proto import tensor_pb2, tensor_shape_pb2, types_pb2

    dims = [tensor_shape_pb2.TensorShapeProto.Dim(size=n) for n in shape]
    return tensor_pb2.TensorProto(
        dtype=types_pb2.DataType.Value(dtype),
        tensor_shape=tensor_shape_pb2.TensorShapeProto(dim=dims),
        **fields,
    )


def tensor_event(tag: str, step: int, tensor, plugin: str = "", wall_time: float | None = None):
    """A summary of one tensor value (a tensorboard ``TensorProto``) of ``plugin``."""
    _, summary_pb2 = tb_protos()
    value = summary_pb2.Summary.Value(tag=tag, tensor=tensor)
    value.metadata.plugin_data.plugin_name = plugin
    return event(step, wall_time, summary=summary_pb2.Summary(value=[value]))


def session_log_event(step: int, status: str = "START", wall_time: float | None = None):
    event_pb2, _ = tb_protos()
    log = event_pb2.SessionLog(status=event_pb2.SessionLog.SessionStatus.Value(status))
    return event(step, wall_time, session_log=log)


def event_file_name(seconds: int, host: str = "testhost", suffix: str = "") -> str:
    return f"events.out.tfevents.{seconds:010d}.{host}{suffix}"


def write_event_file(path: Path | str, events: Iterable, mode: str = "wb") -> Path:
    """Frames and writes events (protos or bytes) to ``path``; returns it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, mode) as f:
        f.writelines(tf_record(e if isinstance(e, bytes) else e.SerializeToString()) for e in events)
    return path


def write_with_tensorboard(logdir: Path | str, events: Iterable, suffix: str = "") -> Path:
    """Writes events through tensorboard's `EventFileWriter` (adds file_version 2)."""
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    writer = EventFileWriter(str(logdir), max_queue_size=1000, flush_secs=1000, filename_suffix=suffix)
    for e in events:
        writer.add_event(e)
    writer.close()
    return Path(writer._file_name)
