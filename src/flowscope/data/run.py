"""One run: everything its event files say, kept per tag, with TensorBoard's purge rules."""

from __future__ import annotations

import logging
import threading
from typing import NamedTuple

import numpy as np
from google.protobuf.message import DecodeError

from flowscope.data import points as kinds
from flowscope.data.point_checks import check_point
from flowscope.data.points import OLD_STYLE_PLUGINS, TensorPoint, old_style_array
from flowscope.data.series import Reservoir, SampledScalarSeries, Sampling, ScalarSeries
from flowscope.data.tensors import MalformedTensor, to_ndarray
from flowscope.io.tensors import UnsupportedTensor
from flowscope.proto.event_pb2 import Event, SessionLog, TaggedRunMetadata
from flowscope.proto.graph_pb2 import MetaGraphDef
from flowscope.proto.plugins_pb2 import HParamsPluginData
from flowscope.proto.summary_pb2 import Summary, SummaryMetadata
from flowscope.proto.tensor_pb2 import DataType

log = logging.getLogger(__name__)

_FLOAT_SCALAR_TYPES = {DataType.DT_FLOAT, DataType.DT_HALF, DataType.DT_BFLOAT16}
_START = SessionLog.START


class Rejected(NamedTuple):
    """A part of an event that `Run.ingest` skipped, and why."""

    position: int  # of the event in the list given to `ingest`
    step: int
    tag: str  # the summary value's tag, or the kind of a non-summary event
    reason: str


class TaggedBlob(NamedTuple):
    """A serialized RunMetadata and the step it was written at."""

    step: int
    blob: bytes


class Run:
    """The accumulated contents of one run directory.

    `ingest` is called by one loader thread; readers use the accessors, which copy
    under `lock`, so they never see a half-applied event.
    """

    def __init__(self, name: str, sampling: Sampling) -> None:
        self.name = name
        self.sampling = sampling
        self.lock = threading.Lock()
        self.metadata: dict[str, SummaryMetadata] = {}
        self.plugin_of: dict[str, str] = {}
        self.scalars: dict[str, ScalarSeries | SampledScalarSeries] = {}
        self.tensors: dict[str, Reservoir[TensorPoint]] = {}
        self.graph_def: bytes | None = None
        self.run_metadata: dict[str, bytes] = {}  # the latest of each tag
        self._run_metadata_points: dict[str, Reservoir[TaggedBlob]] = {}
        self.hparams: dict[str, HParamsPluginData] = {}
        self.first_wall_time: float | None = None
        self.file_version: float | None = None
        self.version = 0  # bumped on every change, for caches and live updates
        self._seen_start = False
        self._most_recent_step = -1
        self._graph_from_metagraph = False
        # Tags seen as simple_value, for the hot path of `ingest`:
        self._simple_scalars: dict[str, ScalarSeries] = {}
        self._sampled_scalars: dict[str, SampledScalarSeries] = {}

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        del state["lock"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.lock = threading.Lock()

    # ---- ingestion ----

    def ingest(self, events: list[Event]) -> list[Rejected]:
        """Adds ``events``; a malformed value or event costs only itself and is
        returned, with why, for the caller to report."""
        rejected: list[Rejected] = []
        if not events:
            return rejected
        with self.lock:
            if self.first_wall_time is None:
                self.first_wall_time = events[0].wall_time
            simple = self._simple_scalars
            for index, event in enumerate(events):
                if event.WhichOneof("what") != "summary" or self._purges_by_step():
                    try:
                        self._ingest_event(event, index, rejected)
                    except Exception as err:  # noqa: BLE001 (untrusted input: nothing may stop the load)
                        rejected.append(Rejected(index, event.step, event.WhichOneof("what") or "", _reason(err)))
                    continue
                # The hot path: a summary in a file that purges only on restarts.
                step, wall_time = event.step, event.wall_time
                self._most_recent_step = step
                for value in event.summary.value:
                    series = simple.get(value.tag)
                    if series is None:
                        sampled = self._sampled_scalars.get(value.tag)
                        if sampled is not None and value.WhichOneof("value") == "simple_value":
                            sampled.append(step, wall_time, value.simple_value)
                        else:
                            self._try_value(value, step, wall_time, index, rejected)
                    elif value.WhichOneof("value") == "simple_value":
                        try:
                            series.tail_steps.append(step)
                        except OverflowError:  # a step past 32 bits
                            series.append_step(step)
                        series.tail_wall_times.append(wall_time)
                        series.tail_values.append(value.simple_value)
                    else:
                        self._try_value(value, step, wall_time, index, rejected)
            for scalar_series in self.scalars.values():
                scalar_series.seal()
            self.version += 1
        return rejected

    def compact(self) -> None:
        """Compresses the points still held raw; called when a file is read to its end."""
        with self.lock:
            for series in self.scalars.values():
                series.compact()

    def _purges_by_step(self) -> bool:
        """Whether out-of-order steps purge (files older than version 2)."""
        return self.file_version is None or self.file_version < 2

    def _ingest_event(self, event: Event, index: int, rejected: list[Rejected]) -> None:
        what = event.WhichOneof("what")
        if what == "file_version":
            self.file_version = _parse_file_version(event.file_version)
        self._maybe_purge(event, what)
        if what == "summary":
            self._most_recent_step = event.step
            for value in event.summary.value:
                self._try_value(value, event.step, event.wall_time, index, rejected)
        elif what == "graph_def":
            self._most_recent_step = event.step
            self.graph_def = event.graph_def
            self._graph_from_metagraph = False
        elif what == "meta_graph_def":
            if self.graph_def is None or self._graph_from_metagraph:
                meta = MetaGraphDef.FromString(event.meta_graph_def)
                if meta.HasField("graph_def"):
                    self.graph_def = meta.graph_def.SerializeToString()
                    self._graph_from_metagraph = True
        elif what == "tagged_run_metadata":
            self._most_recent_step = event.step
            self._add_run_metadata(event.step, event.tagged_run_metadata)

    def _maybe_purge(self, event: Event, what: str | None) -> None:
        if self.file_version is not None and self.file_version >= 2:
            if what == "session_log" and event.session_log.status == _START:
                if self._seen_start:
                    self._purge(event.step, None)
                self._seen_start = True
        elif what == "summary" and event.step < self._most_recent_step:
            self._purge(event.step, [value.tag or value.node_name for value in event.summary.value])
        elif what in ("graph_def", "tagged_run_metadata") and event.step < self._most_recent_step:
            # TensorBoard turns these events into summaries, so their steps count too.
            self._purge(event.step, [kinds.RUN_GRAPH if what == "graph_def" else event.tagged_run_metadata.tag])

    def _purge(self, step: int, tags: list[str] | None) -> None:
        dropped = 0
        for tag, series in self.scalars.items():
            if tags is None or tag in tags:
                dropped += series.purge(step)
        for tag, reservoir in self.tensors.items():
            if tags is None or tag in tags:
                dropped += reservoir.purge(step)
        for tag, points in self._run_metadata_points.items():
            if tags is None or tag in tags:
                dropped += points.purge(step)
                if points.items:  # else the purged one stays: the tag would have nothing
                    self.run_metadata[tag] = points.items[-1].blob
        if dropped:
            why = "a restart (SessionLog.START)" if tags is None else "an out-of-order step"
            log.info("run %s: purged %d points at step >= %d after %s", self.name, dropped, step, why)

    def _try_value(
        self, value: Summary.Value, step: int, wall_time: float, index: int, rejected: list[Rejected]
    ) -> None:
        """`_ingest_value`, recording a malformed value in ``rejected`` instead of raising;
        a tag first seen in that value is forgotten again."""
        tag = value.tag or value.node_name
        known = tag in self.plugin_of
        try:
            self._ingest_value(value, step, wall_time)
        except Exception as err:  # noqa: BLE001 (untrusted input: nothing may stop the load)
            if not known:
                self.plugin_of.pop(tag, None)
                self.metadata.pop(tag, None)
            rejected.append(Rejected(index, step, tag, _reason(err)))

    def _ingest_value(self, value: Summary.Value, step: int, wall_time: float) -> None:
        """The general path for one summary value; `ingest` short-cuts the simple
        scalars of known tags."""
        tag = value.tag or value.node_name
        kind = value.WhichOneof("value")
        plugin = self.plugin_of.get(tag)
        if plugin is None:
            plugin = self._register(tag, value, kind)
        if plugin == kinds.HPARAMS:
            self._ingest_hparams(tag, value)
        elif kind == "simple_value":
            self._add_scalar(tag, step, wall_time, value.simple_value, False)
            if value.tag:
                series = self.scalars[tag]
                if isinstance(series, ScalarSeries):
                    self._simple_scalars[tag] = series
                else:
                    self._sampled_scalars[tag] = series
        elif kind == "tensor":
            self._ingest_tensor(tag, plugin, step, wall_time, value)
        elif kind in OLD_STYLE_PLUGINS:
            array = old_style_array(value, kind)
            check_point(plugin, array)
            self._add_tensor(tag, plugin, TensorPoint(step, wall_time, array))
        elif kind is not None:
            log.debug("run %s tag %s: ignored a %s value", self.name, tag, kind)

    def _register(self, tag: str, value: Summary.Value, kind: str | None) -> str:
        """Records the first metadata of a new tag and returns its plugin."""
        metadata = SummaryMetadata()
        metadata.CopyFrom(value.metadata)
        plugin = OLD_STYLE_PLUGINS.get(kind or "") or metadata.plugin_data.plugin_name
        metadata.plugin_data.plugin_name = plugin
        if not metadata.display_name and kind in OLD_STYLE_PLUGINS:
            metadata.display_name = tag
        self.metadata[tag] = metadata
        self.plugin_of[tag] = plugin
        return plugin

    def _ingest_tensor(self, tag: str, plugin: str, step: int, wall_time: float, value: Summary.Value) -> None:
        tensor = value.tensor
        if plugin == kinds.SCALARS and tensor.dtype in _FLOAT_SCALAR_TYPES and len(tensor.float_val) == 1:
            self._add_scalar(tag, step, wall_time, tensor.float_val[0], False)
            return
        array = to_ndarray(tensor)
        if plugin != kinds.SCALARS:
            check_point(plugin, array)
            self._add_tensor(tag, plugin, TensorPoint(step, wall_time, array))
        elif array.size != 1 or array.dtype.kind not in "biuf":
            raise MalformedTensor(f"a scalar summary of dtype {array.dtype} and shape {list(array.shape)}")
        else:
            double = array.dtype.itemsize > 4 or array.dtype.kind in "iu"
            self._add_scalar(tag, step, wall_time, float(array.reshape(-1)[0]), double)

    def _ingest_hparams(self, tag: str, value: Summary.Value) -> None:
        content = value.metadata.plugin_data.content or self.metadata[tag].plugin_data.content
        try:
            self.hparams[tag] = HParamsPluginData.FromString(content)
        except DecodeError as err:
            log.warning("run %s tag %s: bad hparams plugin data: %s", self.name, tag, err)

    def _add_scalar(self, tag: str, step: int, wall_time: float, value: float, double: bool) -> None:
        series = self.scalars.get(tag)
        if series is None:
            capacity = self.sampling.capacity(kinds.SCALARS)
            series = self.scalars[tag] = SampledScalarSeries(capacity, double) if capacity else ScalarSeries(double)
        elif double:
            series.promote_to_double()
        series.append(step, wall_time, value)

    def _add_run_metadata(self, step: int, tagged: TaggedRunMetadata) -> None:
        points = self._run_metadata_points.get(tagged.tag)
        if points is None:
            capacity = self.sampling.capacity(kinds.GRAPH_RUN_METADATA)
            points = self._run_metadata_points[tagged.tag] = Reservoir(capacity)
        points.add(TaggedBlob(step, tagged.run_metadata))
        self.run_metadata[tagged.tag] = points.items[-1].blob

    def _add_tensor(self, tag: str, plugin: str, point: TensorPoint) -> None:
        reservoir = self.tensors.get(tag)
        if reservoir is None:
            reservoir = self.tensors[tag] = Reservoir(self.sampling.capacity(plugin))
        reservoir.add(point)

    # ---- access ----

    def tags(self, plugin: str | None = None) -> list[str]:
        with self.lock:
            return [tag for tag, p in self.plugin_of.items() if plugin is None or p == plugin]

    def scalar_columns(self, tag: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(steps, wall_times, values); empty for a tag whose values held no number."""
        with self.lock:
            series = self.scalars.get(tag)
            if series is None:
                return np.empty(0, np.int64), np.empty(0, np.float64), np.empty(0, np.float32)
            return series.columns()

    def points(self, tag: str) -> list[TensorPoint]:
        """The kept points of a tensor tag; none for a tag whose values held no tensor."""
        with self.lock:
            reservoir = self.tensors.get(tag)
            return list(reservoir.items) if reservoir else []

    def latest(self, tag: str) -> TensorPoint | None:
        with self.lock:
            reservoir = self.tensors.get(tag)
            return reservoir.items[-1] if reservoir and reservoir.items else None


def _reason(err: Exception) -> str:
    """Why a value was rejected, for the warning that reports it."""
    if isinstance(err, (MalformedTensor, UnsupportedTensor, DecodeError)):
        return str(err)
    return f"{type(err).__name__}: {err}"


def _parse_file_version(text: str) -> float | None:
    prefix = "brain.Event:"
    if text.startswith(prefix):
        try:
            return float(text[len(prefix) :])
        except ValueError:
            pass
    log.warning("unrecognised event file version %r", text)
    return None
