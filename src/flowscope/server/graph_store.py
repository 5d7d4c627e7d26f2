"""Loaded graphs for the graph dashboard: one `Graph` per (run, tag) and per upload.

A `Graph` keeps its layouts cached per group, so the store keeps the graphs
themselves, in small LRUs, and each request sets its view state on one of them
under that graph's lock. A run graph is rebuilt when the blobs it came from change.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, cast

from google.protobuf.message import DecodeError
from google.protobuf.text_format import ParseError

from flowscope.data.run import Run
from flowscope.graph import Graph, load
from flowscope.graph.formats import MODEL_FILES
from flowscope.graph.importer import (
    KERAS_SUFFIX,
    TEXT_GRAPH_SUFFIXES,
    RunGraphs,
    graph_of_run,
    run_graphs,
)
from flowscope.server import catalog
from flowscope.server.errors import ApiError, not_found

log = logging.getLogger(__name__)

GRAPH_SLOTS = 8
UPLOAD_SLOTS = 8
MAX_UPLOAD_BYTES = 512 << 20
KINDS = ("op", "trace", "conceptual", "profile")


def unprocessable(message: str) -> ApiError:
    return ApiError(422, message)


def graph_tags(found: RunGraphs) -> list[dict[str, str]]:
    """``[{tag, kind}]``: op graphs, traced graphs, Keras (conceptual) graphs, then profiles
    (which need a graph to join their step stats to)."""
    tags = [{"tag": t, "kind": "op"} for t in found.op_graphs]
    tags += [{"tag": t, "kind": "trace"} for t in found.traced]
    tags += [{"tag": t, "kind": "conceptual"} for t in found.keras]
    if found.op_graphs or found.traced:
        tags += [{"tag": t, "kind": "profile"} for t in found.profiles]
    return tags


def graph_runs(runs: dict[str, Run]) -> list[dict]:
    """``[{run, tags}]`` for the runs with graphs, in the order of the run list."""
    listing = []
    for run in catalog.ordered_runs(runs):
        tags = graph_tags(run_graphs(run))
        if tags:
            listing.append({"run": run.name, "tags": tags})
    return listing


Index = TypeVar("Index")


@dataclass(eq=False)
class Entry:
    """A loaded graph, its lock, and indexes the queries build on first use."""

    graph: Graph
    source: dict
    fingerprint: tuple = ()
    lock: threading.Lock = field(default_factory=threading.Lock)
    indexes: dict[str, object] = field(default_factory=dict)

    def index(self, name: str, build: Callable[[Graph], Index]) -> Index:
        """The index ``name``, built by ``build(graph)`` the first time (call under `lock`)."""
        if name not in self.indexes:
            self.indexes[name] = build(self.graph)
        return cast(Index, self.indexes[name])


class _Lru:
    """Entries by key, least recently used dropped first; built at most once at a time."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._entries: OrderedDict[object, Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[object, threading.Lock] = {}

    def keys(self) -> list[object]:
        with self._lock:
            return list(self._entries)

    def get(self, key: object, fingerprint: tuple = ()) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.fingerprint != fingerprint:
                return None
            self._entries.move_to_end(key)
            return entry

    def get_or_build(self, key: object, fingerprint: tuple, build: Callable[[], Entry]) -> Entry:
        entry = self.get(key, fingerprint)
        if entry is not None:
            return entry
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:  # a second request for the same graph waits for the first
            entry = self.get(key, fingerprint)
            if entry is None:
                entry = build()
                entry.fingerprint = fingerprint
                with self._lock:
                    self._entries[key] = entry
                    self._entries.move_to_end(key)
                    while len(self._entries) > self.slots:
                        self._entries.popitem(last=False)
        with self._lock:
            self._building.pop(key, None)
        return entry


def _load(build: Callable[[], Graph], what: str) -> Graph:
    try:
        graph = build()
    except (ValueError, DecodeError, ParseError, KeyError, RecursionError) as err:
        raise unprocessable(f"cannot read {what}: {err}") from None
    if not graph.model.flat.nodes:
        raise unprocessable(f"{what} has no ops")
    return graph


def _upload_suffix(data: bytes, filename: str) -> str:
    """The file suffix that tells `load` the format: by name, else text if it reads as text."""
    lower = filename.lower()
    model = next((suffix for suffix in MODEL_FILES if lower.endswith(suffix)), None)
    if model is not None:
        return model
    if lower.endswith(KERAS_SUFFIX):
        return KERAS_SUFFIX
    if lower.endswith(TEXT_GRAPH_SUFFIXES):
        return ".pbtxt"
    if lower.endswith(".pb"):
        return ".pb"
    try:
        text = data[:65536].decode("utf-8")
    except UnicodeDecodeError:
        return ".pb"
    return ".pbtxt" if "\x00" not in text and text.strip() else ".pb"


class GraphStore:
    """The graphs served by the graph routes."""

    def __init__(self, slots: int = GRAPH_SLOTS, upload_slots: int = UPLOAD_SLOTS) -> None:
        self._runs = _Lru(slots)
        self._uploads = _Lru(upload_slots)

    def for_run(self, run: Run, tag: str | None) -> Entry:
        """The graph of ``tag`` in ``run`` (its first graph when ``tag`` is None)."""
        found = run_graphs(run)
        tags = [t["tag"] for t in graph_tags(found)]
        if not tags:
            raise not_found(f"run {run.name!r} has no graph")
        tag = tags[0] if tag is None else tag
        if tag not in tags:
            raise not_found(f"run {run.name!r} has no graph tag {tag!r}; tags: {tags}")
        fingerprint = (found.op_graphs, found.traced, found.keras, found.profiles)

        def build() -> Entry:
            where = f"the graph of run {run.name!r} tag {tag!r}"
            graph = _load(lambda: load(graph_of_run(found, tag, where)), where)
            return Entry(graph, {"run": run.name, "tag": tag})

        return self._runs.get_or_build((run.name, tag), fingerprint, build)

    def upload(self, data: bytes, filename: str) -> tuple[str, Entry]:
        """Loads an uploaded ``.pb``/``.pbtxt``, Keras ``.json`` or model file; returns its id."""
        if not data:
            raise ApiError(400, "the upload is empty")
        if len(data) > MAX_UPLOAD_BYTES:
            raise ApiError(413, f"uploads are limited to {MAX_UPLOAD_BYTES >> 20} MiB")
        upload_id = hashlib.sha256(data).hexdigest()[:16]
        suffix = _upload_suffix(data, filename)
        name = os.path.basename(filename) or f"upload{suffix}"

        def build() -> Entry:
            with tempfile.TemporaryDirectory(prefix="flowscope-upload-") as folder:
                path = os.path.join(folder, "graph" + suffix)
                with open(path, "wb") as f:
                    f.write(data)
                graph = _load(lambda: load(path), f"the uploaded file {name!r}")
            return Entry(graph, {"upload": upload_id, "name": name})

        return upload_id, self._uploads.get_or_build(upload_id, (), build)

    def uploaded(self, upload_id: str) -> Entry:
        entry = self._uploads.get(upload_id)
        if entry is None:
            raise not_found(
                f"no uploaded graph {upload_id!r} (the server keeps the last "
                f"{self._uploads.slots} uploads while it runs): upload it again"
            )
        return entry

    def loaded(self) -> list[tuple[str, str]]:
        """The (run, tag) pairs whose graphs are loaded, least recently used first."""
        return self._runs.keys()  # type: ignore[return-value]

    def warm(self, runs: dict[str, Run]) -> None:
        """Loads the graph the dashboard opens first: the first tag of the first run."""
        listing = graph_runs(runs)
        if listing:
            first = listing[0]
            self.for_run(runs[first["run"]], first["tags"][0]["tag"])
