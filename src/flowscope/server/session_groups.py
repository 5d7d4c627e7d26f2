"""The hparams experiment and its session groups, with TensorBoard's filtering,
sorting, aggregation and paging of ``ListSessionGroupsRequest``."""

from __future__ import annotations

import math
import posixpath
import re
from collections.abc import Callable, Sequence
from typing import Any

from google.protobuf import struct_pb2

from flowscope.data import hparams as hp
from flowscope.data import points as kinds
from flowscope.data.run import Run
from flowscope.proto.plugins_pb2 import (
    AggregationType,
    ColParams,
    Experiment,
    ListSessionGroupsRequest,
    ListSessionGroupsResponse,
    MetricName,
    MetricValue,
    Session,
    SessionGroup,
    SortOrder,
)
from flowscope.server.errors import bad_request

Extractor = Callable[[SessionGroup], Any]


def experiment(runs: list[Run], include_metrics: bool = True, hparams_limit: int = 0) -> Experiment:
    """The written experiment, else one inferred from the sessions (empty without any);
    hparams that differ first, then by name, at most ``hparams_limit`` (0: all)."""
    result = Experiment()
    written = hp.written_experiment(runs)
    if written is not None:
        result.CopyFrom(written)
    else:
        inferred = hp.experiment(runs)
        if not inferred.hparam_infos:
            return result
        result.CopyFrom(inferred)
        ordered = sorted(result.metric_infos, key=lambda m: (m.name.tag, m.name.group))
        result.ClearField("metric_infos")
        result.metric_infos.extend(ordered)
    if not include_metrics:
        result.ClearField("metric_infos")
    infos = sorted(result.hparam_infos, key=lambda h: (not h.differs, h.name))
    result.ClearField("hparam_infos")
    result.hparam_infos.extend(infos[: hparams_limit or None])
    return result


def list_session_groups(
    runs: dict[str, Run], request: ListSessionGroupsRequest
) -> ListSessionGroupsResponse:
    """Groups of sessions with their metrics. An empty ``allowed_statuses`` allows
    every status and a ``slice_size`` of 0 returns every group."""
    include_metrics = not request.HasField("include_metrics") or request.include_metrics
    ordered = list(runs.values())
    metrics = list(experiment(ordered, include_metrics).metric_infos)
    allowed = set(request.allowed_statuses)
    groups: dict[str, SessionGroup] = {}
    for info in hp.sessions(ordered):
        session = _session(info, metrics, runs)
        if allowed and session.status not in allowed:
            continue
        name = info.start.group_name or info.run
        group = groups.get(name)
        if group is None:
            group = groups[name] = SessionGroup(name=name, monitor_url=info.start.monitor_url)
            for key, value in info.start.hparams.items():
                if _serializable(value):
                    group.hparams[key].CopyFrom(value)
        group.sessions.append(session)
    found = list(groups.values())
    for group in found:
        group.sessions.sort(key=lambda s: s.name)
        _aggregate(group, request.aggregation_type, request.aggregation_metric)
    extractors = [_extractor(col) for col in request.col_params]
    found = [
        g
        for g in found
        if all(_passes(col, ex, g) for col, ex in zip(request.col_params, extractors))
    ]
    _sort(found, request.col_params, extractors)
    if any(col.HasField("include_in_result") for col in request.col_params):
        _keep_hparams(found, request.col_params)
    end = request.start_index + request.slice_size if request.slice_size else None
    return ListSessionGroupsResponse(
        session_groups=found[request.start_index : end], total_size=len(found)
    )


def _serializable(value: struct_pb2.Value) -> bool:
    return value.WhichOneof("kind") != "number_value" or math.isfinite(value.number_value)


def _session(info: hp.SessionInfo, metrics: list, runs: dict[str, Run]) -> Session:
    session = Session(
        name=info.run,
        start_time_secs=info.start.start_time_secs,
        model_uri=info.start.model_uri,
        monitor_url=info.start.monitor_url,
    )
    if info.end is not None:
        session.status = info.end.status
        session.end_time_secs = info.end.end_time_secs
    for metric in metrics:
        run = runs.get(posixpath.join(info.run, metric.name.group).rstrip("/"))
        if run is None or metric.name.tag not in run.tags(kinds.SCALARS):
            continue
        steps, wall_times, values = run.scalar_columns(metric.name.tag)
        if len(steps):
            session.metric_values.append(
                MetricValue(
                    name=metric.name,
                    value=float(values[-1]),
                    training_step=int(steps[-1]),
                    wall_time_secs=float(wall_times[-1]),
                )
            )
    return session


def _find_metric(holder: Session | SessionGroup, name: MetricName) -> MetricValue | None:
    for value in holder.metric_values:
        if value.name.tag == name.tag and value.name.group == name.group:
            return value
    return None


def _aggregate(group: SessionGroup, kind: int, metric: MetricName) -> None:
    """The group's metrics: the mean over sessions, or those of its median, min or max session."""
    del group.metric_values[:]
    if kind in (AggregationType.AGGREGATION_UNSET, AggregationType.AGGREGATION_AVG):
        sums: dict[tuple[str, str], list[float]] = {}
        for session in group.sessions:
            for value in session.metric_values:
                total = sums.setdefault((value.name.group, value.name.tag), [0.0, 0, 0, 0.0])
                total[0] += value.value
                total[1] += 1
                total[2] += value.training_step
                total[3] += value.wall_time_secs
        for (name_group, tag), (value_sum, count, step_sum, wall_sum) in sums.items():
            group.metric_values.add(
                name=MetricName(group=name_group, tag=tag),
                value=value_sum / count,
                training_step=int(step_sum // count),
                wall_time_secs=wall_sum / count,
            )
        return
    measured = [
        (m.value, i) for i, s in enumerate(group.sessions) if (m := _find_metric(s, metric))
    ]
    if not measured:
        return
    if kind == AggregationType.AGGREGATION_MEDIAN:
        chosen = sorted(measured)[(len(measured) - 1) // 2][1]
    elif kind == AggregationType.AGGREGATION_MIN:
        chosen = min(measured)[1]
    elif kind == AggregationType.AGGREGATION_MAX:
        chosen = max(measured)[1]
    else:
        raise bad_request(f"unknown aggregation_type {kind}")
    group.metric_values.extend(group.sessions[chosen].metric_values)


def _extractor(col: ColParams) -> Extractor:
    if col.HasField("metric"):
        metric = col.metric

        def metric_value(group: SessionGroup) -> Any:
            found = _find_metric(group, metric)
            return found.value if found else None

        return metric_value
    if col.HasField("hparam"):
        name = col.hparam
        return lambda group: (
            hp.value_to_python(group.hparams[name]) if name in group.hparams else None
        )
    raise bad_request("each col_params entry needs a 'metric' or an 'hparam'")


def _passes(col: ColParams, extract: Extractor, group: SessionGroup) -> bool:
    value = extract(group)
    which = col.WhichOneof("filter")
    if value is None:
        return not col.exclude_missing_values
    if which == "filter_regexp":
        if not isinstance(value, str):
            raise bad_request(f"a regexp filter needs string values, got {value!r}")
        try:
            return re.search(col.filter_regexp, value) is not None
        except re.error as err:
            raise bad_request(f"bad filter_regexp {col.filter_regexp!r}: {err}") from None
    if which == "filter_interval":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise bad_request(f"an interval filter needs numbers, got {value!r}")
        return col.filter_interval.min_value <= value <= col.filter_interval.max_value
    if which == "filter_discrete":
        return value in [hp.value_to_python(v) for v in col.filter_discrete.values]
    return True


def _sort(
    groups: list[SessionGroup], cols: Sequence[ColParams], extractors: list[Extractor]
) -> None:
    """By name, then stably by each ordered column, the first column last."""
    groups.sort(key=lambda g: g.name)
    for col, extract in reversed(list(zip(cols, extractors))):
        if col.order == SortOrder.ORDER_UNSPECIFIED:
            continue
        descending = col.order == SortOrder.ORDER_DESC
        missing_largest = col.missing_values_first == descending

        def key(
            group: SessionGroup,
            extract: Extractor = extract,
            missing_largest: bool = missing_largest,
        ) -> tuple:
            value = extract(group)
            return (value is None) == missing_largest, value if value is not None else 0

        try:
            groups.sort(key=key, reverse=descending)
        except TypeError:
            raise bad_request(
                "cannot sort a column that mixes strings, numbers and booleans"
            ) from None


def _keep_hparams(groups: list[SessionGroup], cols: Sequence[ColParams]) -> None:
    keep = {
        col.hparam
        for col in cols
        if col.hparam and not (col.HasField("include_in_result") and not col.include_in_result)
    }
    for group in groups:
        for name in [name for name in group.hparams if name not in keep]:
            del group.hparams[name]
