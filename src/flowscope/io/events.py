"""Event files: records parsed into `Event` protos."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import partial

from google.protobuf.message import DecodeError

from flowscope.io.files import FileStat, Location
from flowscope.io.records import RecordReader
from flowscope.proto.event_pb2 import Event

log = logging.getLogger(__name__)


class EventFileReader:
    """Reads the events of one file incrementally; each `read` resumes where the last stopped."""

    def __init__(self, location: Location, path: str) -> None:
        self.path = path
        self.location = location
        self.records = RecordReader(partial(location.open, path), path)
        self.stat: FileStat | None = None  # as listed when last read
        self._warned_empty = False
        self.batch_offsets: list[int] = []  # file offset of each event of the last batch

    @property
    def offset(self) -> int:
        return self.records.offset

    def replaced(self, stat: FileStat) -> str | None:
        """Why the file now listed with ``stat`` is not the one read so far (it
        shrank, or its first bytes differ), or None when it may only have grown."""
        head = self.records.head
        if not head or stat == self.stat:
            return None
        if stat.size < self.offset:
            return f"shrank from {self.offset} bytes read to {stat.size}"
        if self.location.head(self.path, len(head)) != head:
            return "was rewritten (its first record differs)"
        return None

    def read(self, final: bool = False) -> Iterator[Event]:
        """Yields new events. ``final`` says no more data will be appended."""
        for batch in self.read_batches(final):
            yield from batch

    def read_batches(self, final: bool = False) -> Iterator[list[Event]]:
        """Yields the new events in lists, one per chunk of the file."""
        parse = Event.FromString
        for records in self.records.read_batches(final):
            try:
                events = [parse(data) for data in records]
                self.batch_offsets = self.records.batch_offsets
            except DecodeError:
                events = self._parse_each(records)
            yield events
        untouched = self.records.records_read == 0 and self.offset == 0
        if untouched and not self._warned_empty and self.location.size(self.path) == 0:
            self._warned_empty = True
            log.warning("%s: event file is empty (zero bytes)", self.path)

    def _parse_each(self, records: list[bytes]) -> list[Event]:
        events, offsets = [], []
        for data, offset in zip(records, self.records.batch_offsets):
            try:
                events.append(Event.FromString(data))
                offsets.append(offset)
            except DecodeError as err:
                self.records.records_skipped += 1
                log.warning(
                    "%s: skipped the record at offset %d, which is not an Event: %s",
                    self.path, offset, err,
                )
        self.batch_offsets = offsets
        return events
