"""What each run holds, read under its lock: tags per plugin, metadata, graphs."""

from __future__ import annotations

import math

from flowscope.data import points as kinds
from flowscope.data.run import Run
from flowscope.proto.summary_pb2 import SummaryMetadata
from flowscope.server.html import markdown_to_safe_html

GRAPHS = "graphs"


def ordered_runs(runs: dict[str, Run]) -> list[Run]:
    """Runs by first event time (runs without events last), then by name."""

    def key(run: Run) -> tuple[float, str]:
        started = run.first_wall_time
        return (started if started is not None else math.inf, run.name)

    return sorted(runs.values(), key=key)


def tags_by_plugin(run: Run) -> dict[str, list[str]]:
    """Tags per plugin, in the order they first appeared; ``graphs`` lists
    the run graph (``__run_graph__``) and tagged run metadata."""
    with run.lock:
        grouped: dict[str, list[str]] = {}
        for tag, plugin in run.plugin_of.items():
            grouped.setdefault(plugin, []).append(tag)
        graph_tags = ([kinds.RUN_GRAPH] if run.graph_def is not None else []) + list(
            run.run_metadata
        )
    if graph_tags:
        grouped[GRAPHS] = graph_tags
    return grouped


def plugins_with_data(runs: dict[str, Run]) -> set[str]:
    found: set[str] = set()
    for run in runs.values():
        found.update(tags_by_plugin(run))
    return found


def tag_metadata(run: Run, tag: str) -> SummaryMetadata:
    with run.lock:
        return run.metadata[tag]


def tag_listing(runs: dict[str, Run], plugin: str) -> dict[str, dict[str, dict]]:
    """TensorBoard's ``{run: {tag: {displayName, description}}}`` for one plugin;
    runs without such tags are left out."""
    listing: dict[str, dict[str, dict]] = {}
    for run in runs.values():
        tags = tags_by_plugin(run).get(plugin)
        if not tags:
            continue
        entry = listing[run.name] = {}
        for tag in tags:
            metadata = tag_metadata(run, tag)
            entry[tag] = {
                "displayName": metadata.display_name,
                "description": describe(metadata),
            }
    return listing


def has_graph_data(run: Run) -> bool:
    groups = tags_by_plugin(run)
    return GRAPHS in groups or any(plugin in groups for plugin in kinds.GRAPH_PLUGINS)


def describe(metadata: SummaryMetadata) -> str:
    """The tag's description as safe HTML."""
    text = metadata.summary_description
    return markdown_to_safe_html(text) if text else ""
