"""The reader on random and mutated event files: no exception escapes, memory stays
bounded, and every valid record around a bad one is kept."""

from __future__ import annotations

import tempfile
import tracemalloc
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import flowscope
from flowscope.proto.event_pb2 import Event
from tests.fuzz.fuzz_inputs import event_files, events, examples, frame, mutated, names
from tests.fuzz.fuzz_server import EVENT_FILE, scalar_record

MAX_PEAK_BYTES = 48 << 20  # for files of a few hundred bytes

def load_everything(root: Path) -> flowscope.Logdir:
    """Loads ``root`` and reads it through every DataFrame accessor, twice reloaded."""
    logdir = flowscope.Logdir(str(root), samples_per_plugin="scalars=0,histograms=0,images=0")
    logdir.reload()
    for read in (
        logdir.scalars, logdir.histograms, logdir.distributions, logdir.images, logdir.audio,
        logdir.text, logdir.pr_curves, logdir.hparams, logdir.tensors, logdir.tags,
    ):  # fmt: skip
        read()
    return logdir


@examples(100)
@given(blob=event_files())
def test_any_event_file_loads_in_bounded_memory(blob):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "fuzz").mkdir()
        (root / "fuzz" / EVENT_FILE).write_bytes(blob)
        (root / "good").mkdir()
        (root / "good" / EVENT_FILE).write_bytes(b"".join(scalar_record(s) for s in range(3)))
        tracemalloc.start()
        try:
            logdir = load_everything(root)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < MAX_PEAK_BYTES, f"{len(blob)} bytes took {peak >> 20} MiB"
        assert logdir.scalars(run="good")["step"].tolist() == [0, 1, 2]


bad_records = st.one_of(
    events(tags=names, restarts=False).map(Event.SerializeToString),
    st.binary(max_size=40),
    st.builds(lambda e: e.SerializeToString(), events(tags=names, restarts=False)).flatmap(mutated),
)


@st.composite
def flipped(draw: st.DrawFn, record: bytes) -> bytes:
    """``record`` with bits flipped in place: its neighbours' bytes stay where they are."""
    out = bytearray(record)
    for _ in range(draw(st.integers(1, 3))):
        out[draw(st.integers(0, len(out) - 1))] ^= 1 << draw(st.integers(0, 7))
    return bytes(out)


@examples(100)
@given(data=st.data(), bad=st.lists(bad_records, min_size=1, max_size=6))
def test_every_valid_record_around_a_bad_one_is_kept(data, bad):
    version = Event(wall_time=1.0, file_version="brain.Event:2").SerializeToString()
    blob = frame(version)
    for step, record in enumerate(bad):
        framed = frame(record)
        blob += scalar_record(step) + (data.draw(flipped(framed)) if data.draw(st.booleans()) else framed)
    blob += scalar_record(len(bad))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "run").mkdir()
        (root / "run" / EVENT_FILE).write_bytes(blob)
        logdir = load_everything(root)
        steps = logdir.scalars(run="run", tag="valid")["step"].tolist()
    assert steps == list(range(len(bad) + 1))
