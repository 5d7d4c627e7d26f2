"""`SummaryWriter`: TensorBoard event files written without TensorFlow.

The API follows ``torch.utils.tensorboard.SummaryWriter``; what it writes loads
unchanged in TensorBoard 2.x. Builders of each kind live in `flowscope.io.summaries`.
"""

from __future__ import annotations

import itertools
import operator
import os
import socket
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from google.protobuf import text_format

from flowscope.io import summaries
from flowscope.io.plugins import PROJECTOR_CONFIG
from flowscope.io.records import frame
from flowscope.io.torch_graph import module_graph_def
from flowscope.proto.event_pb2 import Event, SourceMetadata
from flowscope.proto.plugins_pb2 import EmbeddingInfo, ProjectorConfig
from flowscope.proto.summary_pb2 import Summary

FILE_VERSION = "brain.Event:2"
_file_numbers = itertools.count()


class WriterClosedError(RuntimeError):
    """Raised when something is added to a closed `SummaryWriter`."""


class _EventFile:
    """One event file in ``directory``; the writer's lock serialises calls."""

    def __init__(self, directory: str, suffix: str, max_queue: int) -> None:
        os.makedirs(directory, exist_ok=True)
        name = (
            f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}"
            f".{os.getpid()}.{next(_file_numbers)}{suffix}"
        )
        self.path = os.path.join(directory, name)
        self._file = open(self.path, "xb")  # noqa: SIM115 (open for the writer's lifetime)
        self._max_queue = max_queue
        self._pending = 0
        self._tags: set[str] = set()
        self.write(
            Event(
                wall_time=time.time(),
                file_version=FILE_VERSION,
                source_metadata=SourceMetadata(writer="flowscope"),
            )
        )
        self.flush()

    def write(self, event: Event) -> None:
        """Appends ``event``, keeping summary metadata on the first value of each tag only."""
        for value in event.summary.value:
            if value.tag in self._tags:
                value.ClearField("metadata")
            self._tags.add(value.tag)
        self._file.write(frame(event.SerializeToString()))
        self._pending += 1
        if self._pending >= self._max_queue:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._file.flush()
            self._pending = 0

    def close(self) -> None:
        self._file.close()


def _flush_every(
    seconds: float, stop: threading.Event, lock: threading.Lock, files: dict[str, _EventFile]
) -> None:
    while not stop.wait(seconds):
        with lock:
            if stop.is_set():
                return
            for file in files.values():
                file.flush()


def _shut(stop: threading.Event, lock: threading.Lock, files: dict[str, _EventFile]) -> None:
    stop.set()
    with lock:
        for file in files.values():
            file.close()


def _step(global_step: Any) -> int:
    if global_step is None:
        return 0
    try:
        return operator.index(global_step)
    except TypeError:
        raise ValueError(f"global_step must be an integer, got {global_step!r}") from None


class SummaryWriter:
    """Writes TensorBoard event files into the local directory ``logdir``.

    Events go through a buffered file, flushed every ``flush_secs`` seconds, after
    ``max_queue`` events, on `flush` and on `close`. Values may be numpy arrays,
    Python numbers or torch tensors. `add_scalars` and `add_hparams` write to
    sub-runs (directories under ``logdir``), as torch's writer does.
    """

    def __init__(
        self,
        logdir: str | os.PathLike[str],
        *,
        flush_secs: float = 120,
        filename_suffix: str = "",
        max_queue: int = 10,
    ) -> None:
        self.logdir = os.fspath(logdir)
        if "://" in self.logdir:
            raise ValueError(f"SummaryWriter writes to local directories only, not {self.logdir!r}")
        if flush_secs <= 0 or max_queue < 1:
            raise ValueError("flush_secs must be positive and max_queue at least 1")
        self._suffix = filename_suffix
        self._max_queue = max_queue
        self._lock = threading.Lock()
        self._files: dict[str, _EventFile] = {
            "": _EventFile(self.logdir, filename_suffix, max_queue)
        }
        stop = threading.Event()
        self._flusher = threading.Thread(
            target=_flush_every,
            args=(flush_secs, stop, self._lock, self._files),
            name=f"flowscope-flush:{self.logdir}",
            daemon=True,
        )
        self._flusher.start()
        self._close = weakref.finalize(self, _shut, stop, self._lock, self._files)

    @property
    def file_path(self) -> str:
        """The event file this writer appends to."""
        return self._files[""].path

    @property
    def closed(self) -> bool:
        return not self._close.alive

    def __enter__(self) -> SummaryWriter:  # noqa: PYI034 (typing.Self needs Python 3.11)
        self._check_open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SummaryWriter({self.logdir!r}{', closed' if self.closed else ''})"

    def _check_open(self) -> None:
        if self.closed:
            raise WriterClosedError(
                f"this SummaryWriter for {self.logdir!r} is closed; open a new one"
            )

    def _write(
        self,
        values: Sequence[Summary.Value],
        global_step: Any = None,
        walltime: float | None = None,
        run: str = "",
    ) -> None:
        """Writes one event holding ``values`` to the sub-run ``run`` ("" for ``logdir``)."""
        event = Event(
            wall_time=time.time() if walltime is None else float(walltime),
            step=_step(global_step),
            summary=Summary(value=values),
        )
        with self._lock:
            self._check_open()
            file = self._files.get(run)
            if file is None:
                file = self._files[run] = _EventFile(
                    os.path.join(self.logdir, run), self._suffix, self._max_queue
                )
            file.write(event)

    # ---- summaries ----

    def add_scalar(
        self, tag: str, scalar_value: Any, global_step: Any = None, walltime: float | None = None
    ) -> None:
        self._write([summaries.scalar(tag, scalar_value)], global_step, walltime)

    def add_scalars(
        self,
        main_tag: str,
        tag_scalar_dict: Mapping[str, Any],
        global_step: Any = None,
        walltime: float | None = None,
    ) -> None:
        """Writes ``main_tag`` in one sub-run per key, named ``<main_tag>_<key>``, so the
        values share one chart."""
        values = {key: summaries.scalar(main_tag, value) for key, value in tag_scalar_dict.items()}
        walltime = time.time() if walltime is None else walltime
        for key, value in values.items():
            self._write([value], global_step, walltime, run=f"{main_tag.replace('/', '_')}_{key}")

    def add_histogram(
        self,
        tag: str,
        values: Any,
        global_step: Any = None,
        bins: int | str | Sequence[float] = "tensorflow",
        walltime: float | None = None,
    ) -> None:
        """``bins="tensorflow"``: TensorBoard's exponential buckets; else numpy's ``bins``."""
        self._write([summaries.histogram(tag, values, bins)], global_step, walltime)

    def add_image(
        self,
        tag: str,
        img_tensor: Any,
        global_step: Any = None,
        walltime: float | None = None,
        dataformats: str = "CHW",
    ) -> None:
        """One image, uint8 or float in [0, 1], with 1, 3 or 4 channels."""
        if "N" in dataformats.upper():
            raise ValueError(
                f"add_image takes one image; use add_images for dataformats {dataformats!r}"
            )
        self._write([summaries.image(tag, img_tensor, dataformats)], global_step, walltime)

    def add_images(
        self,
        tag: str,
        img_tensor: Any,
        global_step: Any = None,
        walltime: float | None = None,
        dataformats: str = "NCHW",
    ) -> None:
        """A batch of images, tiled into one grid image."""
        if "N" not in dataformats.upper():
            raise ValueError(f"add_images takes a batch: dataformats {dataformats!r} needs N")
        self._write([summaries.image(tag, img_tensor, dataformats)], global_step, walltime)

    def add_audio(
        self,
        tag: str,
        snd_tensor: Any,
        global_step: Any = None,
        sample_rate: int = 44100,
        walltime: float | None = None,
    ) -> None:
        """``[frames]`` or ``[channels, frames]`` samples in [-1, 1], stored as 16-bit WAV."""
        self._write([summaries.audio(tag, snd_tensor, sample_rate)], global_step, walltime)

    def add_text(
        self,
        tag: str,
        text_string: str | Sequence[str] | Sequence[Sequence[str]],
        global_step: Any = None,
        walltime: float | None = None,
    ) -> None:
        """Markdown text, or an array of str shown as a table."""
        self._write([summaries.text(tag, text_string)], global_step, walltime)

    def add_pr_curve(
        self,
        tag: str,
        labels: Any,
        predictions: Any,
        global_step: Any = None,
        num_thresholds: int = 127,
        weights: Any = None,
        walltime: float | None = None,
    ) -> None:
        """A precision-recall curve of binary ``labels`` against ``predictions`` in [0, 1]."""
        value = summaries.pr_curve(tag, labels, predictions, num_thresholds, weights)
        self._write([value], global_step, walltime)

    def add_hparams(
        self,
        hparam_dict: Mapping[str, Any],
        metric_dict: Mapping[str, Any],
        *,
        hparam_domain_discrete: Mapping[str, Sequence[Any]] | None = None,
        run_name: str | None = None,
        global_step: Any = None,
    ) -> None:
        """One hparams session in the sub-run ``run_name`` (by default the current time):
        its experiment, start and end info, and each metric as a scalar."""
        now = time.time()
        values = summaries.hparams(hparam_dict, list(metric_dict), hparam_domain_discrete, now)
        metrics = [summaries.scalar(tag, value) for tag, value in metric_dict.items()]
        run = os.path.join(self.logdir, str(now) if run_name is None else run_name)
        step = _step(global_step)
        with self._lock:
            self._check_open()
            file = _EventFile(run, self._suffix, self._max_queue)
            try:
                for group in [[value] for value in values] + [metrics]:
                    file.write(Event(wall_time=now, step=step, summary=Summary(value=group)))
            finally:
                file.close()

    def add_model_stats(
        self, model: Any, global_step: Any = None, walltime: float | None = None
    ) -> None:
        """Norms and histograms of every parameter and gradient of a torch module, and
        its first conv layer's kernels, for the model insight dashboard (tags in
        `flowscope.io.summaries.model_stats`). Call it after ``backward()``."""
        self._write(summaries.model_stats(model), global_step, walltime)

    def add_graph(
        self,
        graph_def: Any,
        example_args: Any = None,
        kwargs: dict | None = None,
        walltime: float | None = None,
    ) -> None:
        """A GraphDef (proto or serialized bytes), shown by the graphs dashboard; or a
        torch module called on ``example_args`` (a tensor or a tuple) and ``kwargs``,
        exported by ``torch.export`` with module-path scopes and output shapes."""
        if example_args is not None or kwargs is not None:
            args = example_args if isinstance(example_args, tuple) else (example_args,)
            graph_def = module_graph_def(
                graph_def, args if example_args is not None else (), kwargs
            )
        event = Event(
            wall_time=time.time() if walltime is None else float(walltime),
            graph_def=summaries.graph_bytes(graph_def),
        )
        with self._lock:
            self._check_open()
            self._files[""].write(event)

    def add_embedding(
        self,
        mat: Any,
        metadata: Sequence[Any] | None = None,
        label_img: Any = None,
        global_step: Any = None,
        tag: str = "default",
        metadata_header: Sequence[str] | None = None,
    ) -> None:
        """An ``[N, D]`` embedding for the projector, with optional labels (one per row,
        or rows of columns under ``metadata_header``) and ``[N, C, H, W]`` thumbnails.

        Files go to ``<step>/<tag>/`` under ``logdir`` and the embedding is merged into
        ``projector_config.pbtxt`` there, replacing one of the same name.
        """
        matrix = summaries.embedding_matrix(mat)
        files = {"tensors.tsv": summaries.tensor_tsv(matrix)}
        if metadata is not None:
            files["metadata.tsv"] = summaries.metadata_tsv(metadata, len(matrix), metadata_header)
        if label_img is not None:
            files["sprite.png"], dims = summaries.sprite(label_img, len(matrix))
        name, subdir = tag, quote(tag, safe="")
        if global_step is not None:
            step = _step(global_step)
            name, subdir = f"{tag}:{step:05d}", f"{step:05d}/{subdir}"
        info = EmbeddingInfo(
            tensor_name=name, tensor_path=f"{subdir}/tensors.tsv", tensor_shape=matrix.shape
        )
        if metadata is not None:
            info.metadata_path = f"{subdir}/metadata.tsv"
        if label_img is not None:
            info.sprite.image_path = f"{subdir}/sprite.png"
            info.sprite.single_image_dim.extend(dims)
        with self._lock:
            self._check_open()
            os.makedirs(os.path.join(self.logdir, subdir), exist_ok=True)
            for filename, data in files.items():
                with open(os.path.join(self.logdir, subdir, filename), "wb") as f:
                    f.write(data)
            _merge_projector_config(os.path.join(self.logdir, PROJECTOR_CONFIG), info)

    # ---- lifetime ----

    def flush(self) -> None:
        """Writes buffered events to disk; does nothing once closed."""
        with self._lock:
            if not self.closed:
                for file in self._files.values():
                    file.flush()

    def close(self) -> None:
        """Flushes and closes every file; later adds raise `WriterClosedError`."""
        self._close()
        self._flusher.join()


def _merge_projector_config(path: str, info: EmbeddingInfo) -> None:
    """Adds ``info`` to the projector config at ``path``, replacing one of the same name."""
    config = ProjectorConfig()
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            try:
                text_format.Parse(f.read(), config)
            except text_format.ParseError as err:
                raise ValueError(
                    f"{path}: cannot add an embedding to an unreadable config: {err}"
                ) from err
    for existing in config.embeddings:
        if existing.tensor_name == info.tensor_name:
            existing.CopyFrom(info)
            break
    else:
        config.embeddings.append(info)
    partial = f"{path}.{os.getpid()}.tmp"
    with open(partial, "w", encoding="utf-8") as f:
        f.write(text_format.MessageToString(config))
    os.replace(partial, path)
