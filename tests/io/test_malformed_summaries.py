"""Malformed summaries: a bad value costs only itself, with a warning naming the file,
the offset of its event, its tag and step; a declared tensor shape never makes the
reader allocate more than the data present."""

from __future__ import annotations

import logging
import tracemalloc

import numpy as np
import pytest

from flowscope.data.tensors import MAX_BROADCAST_ELEMENTS, MalformedTensor, to_ndarray
from flowscope.proto.tensor_pb2 import TensorProto as FlowscopeTensorProto
from tests.support.records import (
    event_file_name,
    file_version_event,
    record_bounds,
    scalar_event,
    tensor_event,
    tf_record,
    write_event_file,
)
from tests.support.records import tensor_proto as tensor
from tests.support.reference import open_logdir

NAME = event_file_name(1000)


# (tag, plugin, tensor) of summaries that cannot be read as they are
MALFORMED = {
    "content shorter than the shape": ("bad", "", tensor("DT_FLOAT", [5], tensor_content=b"\0" * 12)),
    "content longer than the shape": ("bad", "", tensor("DT_INT32", [2], tensor_content=b"\0" * 12)),
    "more values than the shape": ("bad", "", tensor("DT_FLOAT", [2], float_val=[1, 2, 3])),
    "negative dimension": ("bad", "", tensor("DT_FLOAT", [-4], float_val=[1])),
    "string scalar of a scalar tag": ("loss", "scalars", tensor("DT_STRING", [], string_val=[b"x"])),
    "string scalar of a new tag": ("bad", "scalars", tensor("DT_STRING", [], string_val=[b"x"])),
    "histogram that is not [k, 3]": ("bad", "histograms", tensor("DT_DOUBLE", [3], double_val=[1, 2, 3])),
    "PR curve that is not [6, n]": ("bad", "pr_curves", tensor("DT_FLOAT", [2, 2], float_val=[1, 2, 3, 4])),
    "images that are numbers": ("bad", "images", tensor("DT_FLOAT", [3], float_val=[1, 2, 3])),
    "broadcast past the bound": ("bad", "", tensor("DT_FLOAT", [2**27, 1], float_val=[1])),
}


def issue_events(tag: str, plugin: str, bad, last_step: int = 20) -> list:
    """Steps 0-9 of "loss", the malformed value at step 10, then steps 11-``last_step``."""
    return [
        file_version_event(),
        *(scalar_event("loss", s, s / 10) for s in range(10)),
        tensor_event(tag, 10, bad, plugin),
        *(scalar_event("loss", s, s / 10) for s in range(11, last_step + 1)),
    ]


def warnings_of(caplog) -> list[str]:
    return [
        r.getMessage() for r in caplog.records
        if r.levelno >= logging.WARNING and r.name.startswith("flowscope")
    ]


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_summary_costs_only_itself(tmp_path, caplog, case):
    tag, plugin, bad = MALFORMED[case]
    path = write_event_file(tmp_path / "a_run" / NAME, issue_events(tag, plugin, bad))
    write_event_file(tmp_path / "b_later_run" / NAME, [file_version_event(), scalar_event("loss", 0, 1.0)])
    with caplog.at_level(logging.WARNING):
        ld = open_logdir(tmp_path)
    assert ld.run_names() == ["a_run", "b_later_run"]
    assert ld.scalars(run="a_run", tag="loss")["step"].tolist() == [*range(10), *range(11, 21)]
    assert ld.scalars(run="b_later_run")["step"].tolist() == [0]
    if tag == "bad":
        assert "bad" not in ld.tags()["a_run"]
    (message,) = warnings_of(caplog)
    offset = record_bounds(path.read_bytes())[11][0]  # the file version, steps 0-9, then it
    assert str(path) in message and f"offset {offset}" in message
    assert f"tag {tag!r}" in message and "step 10" in message
    # Later reloads read on, and do not report it again.
    caplog.clear()
    with open(path, "ab") as f:
        f.write(tf_record(scalar_event("loss", 21, 2.1).SerializeToString()))
    with caplog.at_level(logging.WARNING):
        assert ld.reload()
    assert ld.scalars(run="a_run", tag="loss")["step"].tolist() == [*range(10), *range(11, 22)]
    assert warnings_of(caplog) == []


@pytest.mark.parametrize("shape", [[2**27, 1], [2**33], [2**40, 2**40]])
def test_a_declared_shape_allocates_nothing_it_does_not_hold(tmp_path, caplog, shape):
    """The issue's 269-byte file: a shape of 2^27 x 1 with one value, three times."""
    bad = tensor("DT_FLOAT", shape, float_val=[1.5])
    events = [file_version_event(), *(tensor_event("big", s, bad) for s in range(3)), scalar_event("loss", 3, 0.3)]
    write_event_file(tmp_path / "run" / NAME, events)
    tracemalloc.start()
    try:
        with caplog.at_level(logging.WARNING):
            ld = open_logdir(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, f"loading took {peak >> 20} MiB"
    assert ld.scalars(run="run")["step"].tolist() == [3]
    messages = warnings_of(caplog)
    assert len(messages) == 3 and all("'big'" in m and "elements" in m for m in messages)


def decode(proto) -> np.ndarray:
    return to_ndarray(FlowscopeTensorProto.FromString(proto.SerializeToString()))


def test_one_value_broadcasts_as_tensorboard_does():
    from tensorboard.util import tensor_util

    cases = [
        tensor("DT_FLOAT", [2, 3], float_val=[1.5]),
        tensor("DT_INT32", [4], int_val=[7]),
        tensor("DT_BOOL", [2, 2], bool_val=[True]),
        tensor("DT_INT64", [MAX_BROADCAST_ELEMENTS], int64_val=[3]),
    ]
    for proto in cases:
        np.testing.assert_array_equal(decode(proto), tensor_util.make_ndarray(proto))


def test_fewer_values_repeat_the_last_as_tensorflow_does():
    """TensorFlow's ``MakeNdarray`` pads with the last value, and fills zeros when none."""
    np.testing.assert_array_equal(decode(tensor("DT_FLOAT", [2, 3], float_val=[1, 2])), [[1, 2, 2], [2, 2, 2]])
    np.testing.assert_array_equal(decode(tensor("DT_DOUBLE", [3], double_val=[])), [0, 0, 0])


@pytest.mark.parametrize(
    "proto",
    [
        tensor("DT_INT64", [MAX_BROADCAST_ELEMENTS + 1], int64_val=[3]),
        tensor("DT_DOUBLE", [2**62, 2**62], double_val=[]),
        tensor("DT_STRING", [2**40], string_val=[b"a"]),
        tensor("DT_FLOAT", [1] * 33, float_val=[1]),
        tensor("DT_COMPLEX64", [2], scomplex_val=[1, 2, 3]),
        tensor("DT_FLOAT", [2**61, 8], tensor_content=b"\0" * 4),
    ],
)
def test_tensors_that_cannot_be_decoded(proto):
    with pytest.raises(MalformedTensor):
        decode(proto)


def test_small_integers_out_of_range_wrap_instead_of_raising():
    array = decode(tensor("DT_UINT8", [2], int_val=[300, -1]))
    assert array.dtype == np.uint8 and array.tolist() == [44, 255]
