"""Feeding the new events of one event file into its run, reporting what was refused."""

from __future__ import annotations

import logging

from flowscope.data.run import Rejected, Run
from flowscope.io.events import EventFileReader

log = logging.getLogger(__name__)

MAX_WARNINGS_PER_READ = 20  # then one summary line, so a broken file cannot flood the log


def read_into(run: Run, reader: EventFileReader, final: bool) -> bool:
    """Ingests what is new in ``reader``'s file into ``run``; returns whether there were
    events. Each refused value is logged with the file, offset, tag and step."""
    changed = False
    refused = 0
    for events in reader.read_batches(final):
        for rejected in run.ingest(events):
            refused += 1
            if refused <= MAX_WARNINGS_PER_READ:
                _warn(run, reader, rejected)
        changed = changed or bool(events)
    if refused > MAX_WARNINGS_PER_READ:
        log.warning(
            "%s: skipped %d more malformed values in this read (not listed)",
            reader.path, refused - MAX_WARNINGS_PER_READ,
        )
    return changed


def _warn(run: Run, reader: EventFileReader, rejected: Rejected) -> None:
    log.warning(
        "%s: skipped the value of tag %r at step %d (the event at offset %d, run %s): %s",
        reader.path, rejected.tag, rejected.step, reader.batch_offsets[rejected.position],
        run.name, rejected.reason,
    )
