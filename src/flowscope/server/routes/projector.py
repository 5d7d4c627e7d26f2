"""The embedding projector's data: embeddings named by ``projector_config.pbtxt`` in
the logdir or a run directory, their tensors (binary float32), metadata, sprites and PCA."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from flowscope.data.logdir import Logdir, Source
from flowscope.data.projector import Embedding, find_embeddings
from flowscope.server.blobs import image_media_type
from flowscope.server.errors import bad_request, not_found
from flowscope.server.jsonio import JsonResponse, json_response
from flowscope.server.params import int_param, logdir_of, required

MAX_PCA_COMPONENTS = 50
_CACHE_SIZE = 4
_tensors: OrderedDict[tuple[str, str, str], np.ndarray] = OrderedDict()
_tensors_lock = threading.Lock()


def _relative(source: Source, run: str) -> str | None:
    """The directory of ``run`` relative to ``source``'s root, or None if not its run."""
    if not source.name:
        return run
    if run == source.name:
        return "."
    prefix = source.name + "/"
    return run[len(prefix) :] if run.startswith(prefix) else None


def all_embeddings(logdir: Logdir) -> list[Embedding]:
    """Embeddings of each source's root directory and of every run directory."""
    found = []
    for source in logdir.sources:
        directories = {".": source.run_name(".")}
        for run in logdir.runs:
            relative = _relative(source, run)
            if relative is not None:
                directories[relative] = run
        for relative, run in directories.items():
            directory = source.location.join(relative) if relative != "." else source.location.root
            found += find_embeddings(run, source.location, directory)
    return found


def _find(request: Request) -> Embedding:
    run, name = required(request, "run"), required(request, "name")
    for embedding in all_embeddings(logdir_of(request)):
        if embedding.run == run and embedding.name == name:
            return embedding
    raise not_found(f"no embedding {name!r} in run {run!r}")


def _tensor(embedding: Embedding) -> np.ndarray:
    """The embedding's matrix, kept for the last few embeddings asked for."""
    key = (embedding.location.root, embedding.directory, embedding.info.tensor_path)
    with _tensors_lock:
        if key in _tensors:
            _tensors.move_to_end(key)
            return _tensors[key]
    try:
        matrix = np.ascontiguousarray(embedding.tensor(), dtype=np.float32)
    except (OSError, ValueError) as err:
        raise bad_request(f"cannot read embedding {embedding.name!r}: {err}") from None
    with _tensors_lock:
        _tensors[key] = matrix
        while len(_tensors) > _CACHE_SIZE:
            _tensors.popitem(last=False)
    return matrix


def embeddings(request: Request) -> JsonResponse:
    """``[{run, name, shape, metadata, sprite}]``; ``sprite`` is ``{width, height}`` of one
    thumbnail, or null."""
    body = []
    for embedding in all_embeddings(logdir_of(request)):
        info = embedding.info
        sprite = None
        if info.HasField("sprite") and info.sprite.image_path:
            dims = list(info.sprite.single_image_dim)
            sprite = {"width": dims[0], "height": dims[1]} if len(dims) == 2 else None
        body.append(
            {
                "run": embedding.run,
                "name": embedding.name,
                "shape": list(info.tensor_shape) or None,
                "metadata": bool(info.metadata_path),
                "sprite": sprite,
            }
        )
    return json_response(body)


async def tensor(request: Request) -> Response:
    """The ``[n, d]`` matrix as little-endian float32, row by row; the shape is in the
    ``X-Embedding-Shape`` header (``n,d``)."""
    matrix = await run_in_threadpool(_tensor, _find(request))
    return Response(
        matrix.astype("<f4").tobytes(),
        media_type="application/octet-stream",
        headers={"X-Embedding-Shape": f"{matrix.shape[0]},{matrix.shape[1]}"},
    )


def metadata(request: Request) -> JsonResponse:
    """``{columns: [...], rows: [[...], ...]}`` of the metadata TSV (strings)."""
    frame = _find(request).metadata()
    if frame is None:
        return json_response({"columns": [], "rows": []})
    return json_response(
        {"columns": [str(c) for c in frame.columns], "rows": frame.to_numpy().tolist()}
    )


def sprite(request: Request) -> Response:
    data = _find(request).sprite()
    if data is None:
        raise not_found("this embedding has no sprite")
    return Response(data, media_type=image_media_type(data))


def principal_components(matrix: np.ndarray, components: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows projected on the first ``components`` principal axes, and the share of
    the variance each axis explains."""
    centered = matrix.astype(np.float64) - matrix.mean(axis=0)
    _, singular, axes = np.linalg.svd(centered, full_matrices=False)
    variance = singular**2
    total = variance.sum() or 1.0
    k = min(components, axes.shape[0])
    return centered @ axes[:k].T, variance[:k] / total


async def pca(request: Request) -> JsonResponse:
    """``{coords: [[...], ...], variance: [...]}`` for ``components`` (2 to 50, default 3)."""
    components = int_param(request, "components", 3)
    if not 1 <= components <= MAX_PCA_COMPONENTS:
        raise bad_request(f"components must be between 1 and {MAX_PCA_COMPONENTS}")
    embedding = _find(request)
    matrix = await run_in_threadpool(_tensor, embedding)
    if not np.isfinite(matrix).all():
        raise bad_request(f"embedding {embedding.name!r} holds NaN or infinite values: no PCA")
    coords, variance = await run_in_threadpool(principal_components, matrix, components)
    return json_response({"coords": coords.astype(np.float32), "variance": variance})


routes = [
    Route("/api/projector/embeddings", embeddings),
    Route("/api/projector/tensor", tensor),
    Route("/api/projector/metadata", metadata),
    Route("/api/projector/sprite", sprite),
    Route("/api/projector/pca", pca),
]
