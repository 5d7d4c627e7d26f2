"""HParams: the experiment (written or inferred) and each session's start and end info."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from google.protobuf import struct_pb2

from flowscope.data import points as kinds
from flowscope.data.run import Run
from flowscope.io.plugins import EXPERIMENT_TAG, SESSION_END_TAG, SESSION_START_TAG
from flowscope.proto.plugins_pb2 import (
    Experiment,
    HParamDataType,
    HParamInfo,
    MetricInfo,
    SessionEndInfo,
    SessionStartInfo,
    SessionStatus,
)


@dataclass
class SessionInfo:
    """A run that started an hparams session."""

    run: str
    start: SessionStartInfo
    end: SessionEndInfo | None = None
    hparams: dict[str, object] = field(default_factory=dict)


def status_name(status: int) -> str:
    return SessionStatus.Name(status) if status in SessionStatus.values() else str(status)


def value_to_python(value: struct_pb2.Value) -> object:
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        return value.number_value
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    return None


def sessions(runs: list[Run]) -> list[SessionInfo]:
    found = []
    for run in runs:
        with run.lock:
            start = run.hparams.get(SESSION_START_TAG)
            end = run.hparams.get(SESSION_END_TAG)
        if start is None:
            continue
        info = SessionInfo(run.name, start.session_start_info)
        if end is not None:
            info.end = end.session_end_info
        info.hparams = {k: value_to_python(v) for k, v in info.start.hparams.items()}
        found.append(info)
    return found


def written_experiment(runs: list[Run]) -> Experiment | None:
    """Every written experiment merged into one (a logdir may hold, say, a TF2 experiment
    and a torch ``add_hparams`` run, each with its own): the first run's fields, and each
    hparam and metric once, as the first experiment naming it describes it."""
    merged: Experiment | None = None
    hparams: set[str] = set()
    metrics: set[tuple[str, str]] = set()
    for run in runs:
        with run.lock:
            data = run.hparams.get(EXPERIMENT_TAG)
        if data is None:
            continue
        if merged is None:
            merged = Experiment()
            merged.CopyFrom(data.experiment)
            merged.ClearField("hparam_infos")
            merged.ClearField("metric_infos")
        for hparam in data.experiment.hparam_infos:
            if hparam.name not in hparams:
                hparams.add(hparam.name)
                merged.hparam_infos.append(hparam)
        for metric in data.experiment.metric_infos:
            if (metric.name.group, metric.name.tag) not in metrics:
                metrics.add((metric.name.group, metric.name.tag))
                merged.metric_infos.append(metric)
    return merged


def experiment(runs: list[Run]) -> Experiment:
    """The written experiments, or one inferred from sessions and their scalar tags."""
    written = written_experiment(runs)
    if written is not None:
        return written
    found = sessions(runs)
    inferred = Experiment()
    for name in sorted({name for s in found for name in s.start.hparams}):
        inferred.hparam_infos.append(_infer_hparam(name, [s.start.hparams[name] for s in found if name in s.start.hparams]))
    for group, tag in _metric_names(runs, found):
        info = MetricInfo()
        info.name.group, info.name.tag = group, tag
        inferred.metric_infos.append(info)
    return inferred


def _infer_hparam(name: str, values: list[struct_pb2.Value]) -> HParamInfo:
    info = HParamInfo(name=name)
    kinds_seen = {v.WhichOneof("kind") for v in values}
    if kinds_seen == {"number_value"}:
        info.type = HParamDataType.DATA_TYPE_FLOAT64
        numbers = [v.number_value for v in values]
        info.domain_interval.min_value = min(numbers)
        info.domain_interval.max_value = max(numbers)
        info.differs = len(set(numbers)) > 1
    elif kinds_seen == {"bool_value"}:
        info.type = HParamDataType.DATA_TYPE_BOOL
        flags = sorted({v.bool_value for v in values})
        info.domain_discrete.extend(flags)
        info.differs = len(flags) > 1
    else:
        info.type = HParamDataType.DATA_TYPE_STRING
        texts = sorted({str(value_to_python(v)) for v in values})
        info.domain_discrete.extend(texts)
        info.differs = len(texts) > 1
    return info


def _metric_names(runs: list[Run], found: list[SessionInfo]) -> list[tuple[str, str]]:
    """(group, tag) of every scalar tag in a session's run or a run below it;
    the group is the run's path relative to the session's run."""
    session_runs = [s.run for s in found]
    names = set()
    for run in runs:
        for session in sorted(session_runs, key=len, reverse=True):  # longest parent wins
            if session == "." or run.name == session or run.name.startswith(session + "/"):
                group = "" if run.name == session else posixpath.relpath(run.name, session)
                for tag in run.tags(kinds.SCALARS):
                    names.add((group, tag))
                break
    return sorted(names)
