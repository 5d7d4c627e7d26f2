"""The first load of many local runs, spread over worker processes.

Parsing is CPU-bound Python, so threads do not help; each worker loads whole
runs and sends back the `Run` and its file readers, which then continue
incrementally in the main process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from flowscope.data.ingest import read_into
from flowscope.data.run import Run
from flowscope.data.series import Sampling
from flowscope.io.events import EventFileReader
from flowscope.io.files import Location

MIN_PARALLEL_BYTES = 32 << 20


def worth_parallel(location: Location, sizes: list[int]) -> bool:
    """Worker processes pay off for several big local runs."""
    return (
        location.fs.protocol in ("file", ("file", "local"))
        and len(sizes) > 1
        and sum(sizes) >= MIN_PARALLEL_BYTES
    )


def load_run(root: str, name: str, files: list[str], sampling: Sampling) -> tuple[Run, list[EventFileReader]]:
    """Reads every event file of one run from the start (in a worker process)."""
    location = Location.parse(root)
    run = Run(name, sampling)
    readers = []
    for index, path in enumerate(files):
        reader = EventFileReader(location, path)
        try:
            read_into(run, reader, final=index < len(files) - 1)
        except OSError:
            pass  # the main process re-reads and reports it
        readers.append(reader)
    run.compact()
    return run, readers


def load_runs(
    location: Location, jobs: list[tuple[str, list[str], int]], sampling: Sampling, workers: int
) -> Iterator[tuple[Run, list[EventFileReader]]]:
    """Loads ``(run name, files, bytes)`` jobs in worker processes, biggest first,
    yielding each run as soon as it is done."""
    workers = min(workers, len(jobs))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = [
            pool.submit(load_run, location.root, name, files, sampling)
            for name, files, _ in sorted(jobs, key=lambda job: -job[2])
        ]
        for future in as_completed(futures):
            yield future.result()
