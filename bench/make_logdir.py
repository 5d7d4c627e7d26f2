"""Generates the large logdir of issue 2: many runs of TF1-style merged summaries.

    python bench/make_logdir.py DIR [--small]

Each run has one event per step holding all its scalar tags (as a TF1 merged
summary does), plus a histogram and an image every 1,000 steps. Events are built
by mutating one protobuf message and framed with flowscope's TFRecord framing, so
generation is quick. ``bench_manifest.json`` in DIR lists the runs, tags and last step.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from pathlib import Path

import numpy as np
from PIL import Image

from flowscope.io.records import frame
from flowscope.proto.event_pb2 import Event
from flowscope.proto.summary_pb2 import HistogramProto, Summary

FULL = {"runs": 50, "tags": 20, "steps": 20_000, "every": 1_000}
SMALL = {"runs": 4, "tags": 20, "steps": 2_000, "every": 1_000}
MANIFEST = "bench_manifest.json"
START_WALL_TIME = 1_600_000_000.0


def run_names(count: int) -> list[str]:
    return [f"sweep/lr_{index % 5}/seed_{index // 5:02d}" for index in range(count)]


def tag_names(count: int) -> list[str]:
    groups = ("train", "eval", "opt", "stats")
    return [f"{groups[index % len(groups)]}/metric_{index:02d}" for index in range(count)]


def _png(rng: np.random.Generator) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)).save(out, format="PNG")
    return out.getvalue()


def _histogram(rng: np.random.Generator, scale: float) -> HistogramProto:
    sample = rng.normal(0, scale, 1000)
    counts, edges = np.histogram(sample, bins=30)
    return HistogramProto(
        min=float(sample.min()),
        max=float(sample.max()),
        num=len(sample),
        sum=float(sample.sum()),
        sum_squares=float((sample**2).sum()),
        bucket_limit=edges[1:].tolist(),
        bucket=counts.astype(float).tolist(),
    )


def write_run(path: Path, tags: list[str], steps: int, every: int, seed: int) -> None:
    """One event file: a file_version event, then one merged summary per step."""
    rng = np.random.default_rng(seed)
    path.mkdir(parents=True, exist_ok=True)
    decay = np.exp(-np.arange(steps) / steps * (2 + seed % 5))[:, None]
    values = (
        decay * rng.uniform(0.5, 2.0, len(tags)) + rng.normal(0, 0.01, (steps, len(tags)))
    ).astype(np.float32)
    # Wall times as a training loop's clock reads them: steps of about half a second.
    wall_times = START_WALL_TIME + np.cumsum(rng.normal(0.5, 0.02, steps).clip(0.1))
    event = Event()
    for tag in tags:
        event.summary.value.add(tag=tag, simple_value=0.0)
    extra = Event()
    with open(path / f"events.out.tfevents.{int(START_WALL_TIME)}.bench.{seed}", "wb") as out:
        out.write(
            frame(
                Event(wall_time=START_WALL_TIME, file_version="brain.Event:2").SerializeToString()
            )
        )
        chunk = []
        for step in range(steps):
            event.step = step
            event.wall_time = wall_times[step]
            for value, number in zip(event.summary.value, values[step].tolist()):
                value.simple_value = number
            chunk.append(frame(event.SerializeToString()))
            if step % every == 0:
                extra.Clear()
                extra.step, extra.wall_time = step, event.wall_time
                extra.summary.value.add(
                    tag="weights/histogram", histo=_histogram(rng, 1 + step / steps)
                )
                image = Summary.Image(
                    height=32, width=32, colorspace=3, encoded_image_string=_png(rng)
                )
                extra.summary.value.add(tag="inputs/image", image=image)
                chunk.append(frame(extra.SerializeToString()))
            if len(chunk) >= 4096:
                out.write(b"".join(chunk))
                chunk = []
        out.write(b"".join(chunk))


def generate(logdir: str, small: bool = False) -> dict:
    """Writes the logdir and its manifest; returns the manifest."""
    size = SMALL if small else FULL
    tags = tag_names(size["tags"])
    runs = run_names(size["runs"])
    for seed, run in enumerate(runs):
        write_run(Path(logdir) / run, tags, size["steps"], size["every"], seed)
    manifest = {"runs": runs, "tags": tags, "last_step": size["steps"] - 1}
    (Path(logdir) / MANIFEST).write_text(json.dumps(manifest))
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("logdir")
    parser.add_argument(
        "--small", action="store_true", help=f"{SMALL['runs']} runs of {SMALL['steps']} steps"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    generate(args.logdir, args.small)
    size = sum(f.stat().st_size for f in Path(args.logdir).rglob("*tfevents*"))
    print(f"wrote {args.logdir}: {size / 2**20:.0f} MiB in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
