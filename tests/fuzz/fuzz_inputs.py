"""Hypothesis strategies for hostile logdirs: random and mutated TensorProtos, summary
values, Events, GraphDefs, hparams plugin data, projector configs and TFRecord files.

They are built with flowscope's protos (wire-compatible with TensorFlow's), so that
anything a proto can carry, including what no writer would write, can be drawn.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass, field

import crc32c
import numpy as np
from google.protobuf import text_format
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from flowscope.io.tensors import from_ndarray
from flowscope.proto.event_pb2 import Event, SessionLog, TaggedRunMetadata
from flowscope.proto.graph_pb2 import GraphDef, MetaGraphDef
from flowscope.proto.plugins_pb2 import (
    AudioPluginData,
    EmbeddingInfo,
    Experiment,
    HParamInfo,
    HParamsPluginData,
    MetricInfo,
    MetricName,
    PrCurvePluginData,
    ProjectorConfig,
    SessionEndInfo,
    SessionStartInfo,
)
from flowscope.proto.run_metadata_pb2 import RunMetadata
from flowscope.proto.summary_pb2 import HistogramProto, Summary
from flowscope.proto.tensor_pb2 import DataType, TensorProto

# Examples per property; FLOWSCOPE_FUZZ_EXAMPLES=2000 FLOWSCOPE_FUZZ_RANDOM=1 for a long,
# non-repeating hunt, FLOWSCOPE_FUZZ_SHRINK=1 to shrink what fails (slow on these inputs).
# CI draws the same examples every run.
EXAMPLES = int(os.environ.get("FLOWSCOPE_FUZZ_EXAMPLES", "0")) or None
fuzz_settings = settings(
    deadline=None,
    phases=[p for p in Phase if p != Phase.shrink or os.environ.get("FLOWSCOPE_FUZZ_SHRINK") == "1"],
    derandomize=os.environ.get("FLOWSCOPE_FUZZ_RANDOM") != "1",
    database=None,
    suppress_health_check=list(HealthCheck),
)


def examples(default: int) -> settings:
    return settings(fuzz_settings, max_examples=EXAMPLES or default)


PLUGINS = [
    "", "scalars", "histograms", "images", "audio", "text", "pr_curves", "hparams",
    "graph_run_metadata", "graph_run_metadata_graph", "graph_keras_model", "model_stats",
    "custom_scalars", "projector", "some_other_plugin",
]  # fmt: skip
DTYPES = [*DataType.values(), 0, 999]
VALUE_FIELDS = [
    "float_val", "double_val", "int_val", "int64_val", "bool_val", "half_val", "uint32_val",
    "uint64_val", "string_val", "scomplex_val", "dcomplex_val",
]  # fmt: skip
HUGE_DIMS = [2**27, 2**31, 2**33, 2**40, 2**62, -1, -(2**40)]

names = st.text(alphabet="abz019_/.:^ -", min_size=1, max_size=8)
floats = st.floats(allow_nan=True, allow_infinity=True)
float32s = st.floats(width=32, allow_nan=True, allow_infinity=True)
int32s = st.integers(-(2**31), 2**31 - 1)
int64s = st.integers(-(2**63), 2**63 - 1)
steps = st.one_of(st.integers(0, 60), int64s)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes flipped, cut, inserted, dropped or repeated."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(out)))
        op = draw(st.sampled_from(["flip", "cut", "insert", "drop", "repeat"]))
        if op == "flip" and where < len(out):
            out[where] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del out[where:]
        elif op == "insert":
            out[where:where] = draw(st.binary(min_size=1, max_size=12))
        elif op == "drop":
            del out[where : where + draw(st.integers(1, 16))]
        elif op == "repeat":
            out[where:where] = out[where : where + draw(st.integers(1, 32))]
    return bytes(out)


def maybe_mutated(data: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(st.just(data), mutated(data), st.binary(max_size=64))


# ---- tensors ----

_FIELD_VALUES = {
    "float_val": float32s, "double_val": floats, "int_val": int32s, "int64_val": int64s,
    "bool_val": st.booleans(), "half_val": int32s, "uint32_val": st.integers(0, 2**32 - 1),
    "uint64_val": st.integers(0, 2**64 - 1), "string_val": st.binary(max_size=12),
    "scomplex_val": float32s, "dcomplex_val": floats,
}  # fmt: skip


@st.composite
def random_tensors(draw: st.DrawFn) -> TensorProto:
    """Any dtype, any declared shape (huge and negative ones too), any data."""
    proto = TensorProto(dtype=draw(st.sampled_from(DTYPES)))
    for size in draw(st.lists(st.one_of(st.integers(0, 6), st.sampled_from(HUGE_DIMS)), max_size=4)):
        proto.tensor_shape.dim.add(size=size)
    form = draw(st.sampled_from(["content", "values", "none"]))
    if form == "content":
        proto.tensor_content = draw(st.binary(max_size=96))
    elif form == "values":
        name = draw(st.sampled_from(VALUE_FIELDS))
        getattr(proto, name).extend(draw(st.lists(_FIELD_VALUES[name], max_size=8)))
    return proto


@st.composite
def plugin_arrays(draw: st.DrawFn, plugin: str) -> np.ndarray:
    """An array shaped the way ``plugin`` stores its points, with hostile values."""
    k = draw(st.integers(0, 5))
    if plugin == "histograms":
        return np.array(draw(st.lists(st.tuples(floats, floats, floats), min_size=k, max_size=k)), dtype=np.float64).reshape(k, 3)
    if plugin == "pr_curves":
        n = draw(st.integers(1, 6))
        return np.array(draw(st.lists(float32s, min_size=6 * n, max_size=6 * n)), dtype=np.float32).reshape(6, n)
    if plugin in ("images", "audio", "text", "model_stats") or plugin.startswith("graph_"):
        blobs = st.one_of(st.binary(max_size=24), st.sampled_from([b"7", b"0", b"[]", b'["a"]', b"\x89PNG\r\n\x1a\n"]))
        if plugin.startswith("graph_"):
            blobs = st.one_of(blobs, graph_def_bytes(), st.builds(lambda g: RunMetadata(partition_graphs=[g]).SerializeToString(), graph_defs()))
        if plugin == "images":
            return np.array([str(draw(st.integers(0, 9))).encode(), str(draw(st.integers(0, 9))).encode(), *draw(st.lists(blobs, max_size=3))], dtype=object)
        count = 2 * k if plugin == "audio" else k + 1
        array = np.empty(count, dtype=object)
        array[:] = draw(st.lists(blobs, min_size=count, max_size=count))
        return array.reshape(k, 2) if plugin == "audio" else array
    return np.array(draw(st.lists(floats, max_size=6)))


def tensors_for(plugin: str) -> st.SearchStrategy[TensorProto]:
    return st.one_of(random_tensors(), plugin_arrays(plugin).map(from_ndarray))


# ---- plugin data ----

struct_values = st.one_of(floats, st.booleans(), st.text(max_size=6))


@st.composite
def hparams_contents(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["experiment", "start", "end", "bytes"]))
    hparam_names = st.lists(st.text(alphabet="abx.", max_size=4), max_size=4)
    if kind == "experiment":
        experiment = Experiment(
            time_created_secs=draw(floats),
            hparam_infos=[HParamInfo(name=n, type=draw(st.integers(0, 5))) for n in draw(hparam_names)],
            metric_infos=[MetricInfo(name=MetricName(tag=t, group=g)) for t, g in draw(st.lists(st.tuples(names, st.sampled_from(["", ".", "a", ".."])), max_size=3))],
        )
        return HParamsPluginData(experiment=experiment).SerializeToString()
    if kind == "start":
        start = SessionStartInfo(start_time_secs=draw(floats), group_name=draw(st.text(max_size=4)))
        for name in draw(hparam_names):
            value = draw(struct_values)
            if isinstance(value, bool):
                start.hparams[name].bool_value = value
            elif isinstance(value, float):
                start.hparams[name].number_value = value
            else:
                start.hparams[name].string_value = value
        return HParamsPluginData(session_start_info=start).SerializeToString()
    if kind == "end":
        end = SessionEndInfo(status=draw(st.integers(0, 9)), end_time_secs=draw(floats))
        return HParamsPluginData(session_end_info=end).SerializeToString()
    return draw(st.binary(max_size=32))


def plugin_contents(plugin: str) -> st.SearchStrategy[bytes]:
    if plugin == "hparams":
        return hparams_contents()
    if plugin == "pr_curves":
        return st.builds(lambda n: PrCurvePluginData(num_thresholds=n).SerializeToString(), st.integers(0, 2**32 - 1))
    if plugin == "audio":
        return st.builds(lambda e: AudioPluginData(encoding=e).SerializeToString(), st.integers(0, 20))
    return st.one_of(st.just(b""), st.binary(max_size=16))


# ---- graphs ----

OPS = ["Const", "Placeholder", "MatMul", "Identity", "NoOp", "PartitionedCall", "While", "Add", ""]


@st.composite
def graph_defs(draw: st.DrawFn) -> GraphDef:
    """Small graphs with dangling, control and self inputs, odd names and attributes."""
    node_names = draw(st.lists(st.text(alphabet="ab/_^:0", min_size=1, max_size=5), max_size=6, unique=True))
    refs = st.sampled_from([*node_names, "missing", "^a", "a:7", "", "/"])
    graph = GraphDef()
    for name in node_names:
        node = graph.node.add(name=name, op=draw(st.sampled_from(OPS)), device=draw(st.sampled_from(["", "/device:GPU:0", "x"])))
        node.input.extend(draw(st.lists(refs, max_size=3)))
        if draw(st.booleans()):
            shape = node.attr["_output_shapes"].list.shape.add()
            for size in draw(st.lists(st.sampled_from([-1, 0, 3, 2**40]), max_size=3)):
                shape.dim.add(size=size)
        if draw(st.integers(0, 3)) == 0:
            node.attr["value"].tensor.CopyFrom(draw(random_tensors()))
        if node.op == "PartitionedCall":
            node.attr["f"].func.name = draw(st.sampled_from(["fn", "missing", ""]))
    if draw(st.booleans()):
        function = graph.library.function.add()
        function.signature.name = "fn"
        for name in draw(st.lists(st.sampled_from(["x", "y", "x/z"]), max_size=3, unique=True)):
            function.node_def.add(name=name, op="Identity", input=draw(st.lists(st.sampled_from(["x", "arg:0", "q"]), max_size=2)))
    return graph


def graph_def_bytes() -> st.SearchStrategy[bytes]:
    return graph_defs().flatmap(lambda g: maybe_mutated(g.SerializeToString()))


# ---- summaries and events ----


@st.composite
def summary_values(draw: st.DrawFn, tags: st.SearchStrategy[str]) -> Summary.Value:
    tag = draw(tags)
    plugin = draw(st.sampled_from(PLUGINS))
    value = Summary.Value(tag=tag)
    if draw(st.booleans()):
        value.metadata.plugin_data.plugin_name = plugin
        value.metadata.plugin_data.content = draw(plugin_contents(plugin))
        value.metadata.display_name = draw(st.text(max_size=6))
        value.metadata.summary_description = draw(st.sampled_from(["", "**b**", "<script>x</script>"]))
    kind = draw(st.sampled_from(["simple_value", "tensor", "tensor", "histo", "image", "audio", "none"]))
    if kind == "simple_value":
        value.simple_value = draw(float32s)
    elif kind == "tensor":
        value.tensor.CopyFrom(draw(tensors_for(plugin)))
    elif kind == "histo":
        counts = draw(st.lists(floats, max_size=6))
        value.histo.CopyFrom(HistogramProto(
            min=draw(floats), max=draw(floats), num=draw(floats), sum=draw(floats),
            bucket=counts, bucket_limit=draw(st.lists(floats, max_size=len(counts) + 1)),
        ))  # fmt: skip
    elif kind == "image":
        value.image.CopyFrom(Summary.Image(height=draw(int32s), width=draw(int32s), colorspace=draw(int32s), encoded_image_string=draw(st.binary(max_size=16))))
    elif kind == "audio":
        value.audio.CopyFrom(Summary.Audio(sample_rate=draw(floats), num_channels=draw(int64s), encoded_audio_string=draw(st.binary(max_size=16)), content_type=draw(st.sampled_from(["", "audio/wav", "text/html"]))))
    return value


@st.composite
def events(draw: st.DrawFn, tags: st.SearchStrategy[str] = names, restarts: bool = True) -> Event:
    """Any event; ``restarts=False`` leaves out what legitimately drops earlier points
    (SessionLog.START and file versions, which switch the purge rules)."""
    kinds = ["summary", "summary", "summary", "graph_def", "meta_graph_def", "tagged_run_metadata", "session_log"]
    if restarts:
        kinds.append("file_version")
    what = draw(st.sampled_from(kinds))
    event = Event(step=draw(steps), wall_time=draw(floats))
    if what == "summary":
        event.summary.value.extend(draw(st.lists(summary_values(tags), min_size=1, max_size=3)))
    elif what == "file_version":
        event.file_version = draw(st.sampled_from(["brain.Event:2", "brain.Event:1", "brain.Event:x", ""]))
    elif what == "graph_def":
        event.graph_def = draw(graph_def_bytes())
    elif what == "meta_graph_def":
        meta = MetaGraphDef(graph_def=draw(graph_defs()))
        event.meta_graph_def = draw(maybe_mutated(meta.SerializeToString()))
    elif what == "tagged_run_metadata":
        blob = RunMetadata(partition_graphs=[draw(graph_defs())]).SerializeToString()
        event.tagged_run_metadata.CopyFrom(TaggedRunMetadata(tag=draw(tags), run_metadata=draw(maybe_mutated(blob))))
    else:
        statuses = [SessionLog.CHECKPOINT, SessionLog.STATUS_UNSPECIFIED] + ([SessionLog.START, SessionLog.STOP] if restarts else [])
        event.session_log.status = draw(st.sampled_from(statuses))
    return event


def frame(data: bytes) -> bytes:
    """One TFRecord."""

    def masked(payload: bytes) -> int:
        crc = crc32c.crc32c(payload)
        return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF

    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked(length)) + data + struct.pack("<I", masked(data))


@st.composite
def event_files(draw: st.DrawFn) -> bytes:
    """A record file of random events, often with its framing or a payload mutated."""
    payloads = [e.SerializeToString() for e in draw(st.lists(events(), max_size=8))]
    payloads = [draw(maybe_mutated(p)) if draw(st.integers(0, 4)) == 0 else p for p in payloads]
    blob = b"".join(frame(p) for p in payloads)
    return draw(st.one_of(st.just(blob), mutated(blob))) if blob else blob


# ---- projector configs ----


def projector_paths(escapes: list[str]) -> st.SearchStrategy[str]:
    """Paths a projector config may name: its own files, missing ones and ``escapes``."""
    return st.sampled_from(["tensors.tsv", "metadata.tsv", "sprite.png", "missing.tsv", "", "sub/../tensors.tsv", *escapes])


@st.composite
def projector_configs(draw: st.DrawFn, escapes: list[str]) -> str:
    config = ProjectorConfig()
    for index in range(draw(st.integers(0, 3))):
        info = EmbeddingInfo(
            tensor_name=draw(st.sampled_from([f"emb{index}", "", "emb0"])),
            tensor_path=draw(projector_paths(escapes)),
            metadata_path=draw(projector_paths(escapes)),
            tensor_shape=draw(st.lists(st.integers(0, 2**32 - 1), max_size=3)),
        )
        if draw(st.booleans()):
            info.sprite.image_path = draw(projector_paths(escapes))
            info.sprite.single_image_dim.extend(draw(st.lists(st.integers(0, 2**32 - 1), max_size=3)))
        config.embeddings.append(info)
    text = text_format.MessageToString(config)
    return draw(st.one_of(st.just(text), mutated(text.encode()).map(lambda b: b.decode("utf-8", "replace"))))


@st.composite
def tsv_files(draw: st.DrawFn) -> bytes:
    rows = draw(st.lists(st.lists(st.sampled_from(["1", "-2.5", "nan", "x", "", "1e400", "\xff"]), min_size=1, max_size=4), max_size=5))
    text = "\n".join("\t".join(row) for row in rows).encode("utf-8")
    return draw(st.one_of(st.just(text), st.binary(max_size=40)))


# ---- a whole logdir ----


@dataclass
class FuzzedLogdir:
    """Files to write under a logdir: relative path -> bytes."""

    files: dict[str, bytes] = field(default_factory=dict)

    def write(self, root: os.PathLike) -> None:
        for relative, data in self.files.items():
            path = os.path.join(root, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)


@st.composite
def fuzzed_logdirs(draw: st.DrawFn, escapes: list[str]) -> FuzzedLogdir:
    """One to three runs of random event files, with projector files here and there."""
    logdir = FuzzedLogdir()
    for run in draw(st.lists(st.sampled_from(["r0", "r1", "r1/sub", "."]), min_size=1, max_size=3, unique=True)):
        logdir.files[f"{run}/events.out.tfevents.1.fuzz"] = draw(event_files())
        if draw(st.integers(0, 2)) == 0:
            logdir.files[f"{run}/projector_config.pbtxt"] = draw(projector_configs(escapes)).encode("utf-8")
            logdir.files[f"{run}/tensors.tsv"] = draw(tsv_files())
            logdir.files[f"{run}/metadata.tsv"] = draw(tsv_files())
            logdir.files[f"{run}/sprite.png"] = draw(st.binary(max_size=24))
    return logdir


# ---- request bodies ----

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.floats(allow_nan=False), st.integers(-(10**30), 10**30), st.text(max_size=8)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.sampled_from(["run", "tag", "q", "depth", "expanded", "colour", "upload", "name", "colParams", "x"]), children, max_size=4)),
    max_leaves=12,
)


def request_bodies() -> st.SearchStrategy[bytes]:
    deep = st.integers(1000, 60_000).map(lambda n: b"[" * n + b"]" * n)
    digits = st.integers(4301, 6000).map(lambda n: b'{"depth": ' + b"7" * n + b"}")
    return st.one_of(
        json_values.map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=64),
        deep,
        digits,
        st.just(b"tag=loss&runs=r0&runs=../x"),
    )
