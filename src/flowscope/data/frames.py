"""The analysis API: a logdir's contents as pandas DataFrames, one row per point.

Every method filters by ``run`` and ``tag``: an exact name, a list of names, a
compiled regex, or None for all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from flowscope.data import hparams as hp
from flowscope.data import points as kinds
from flowscope.data.points import TensorPoint
from flowscope.data.run import Run
from flowscope.data.tensors import DISTRIBUTION_BASIS_POINTS, compress_histogram

if TYPE_CHECKING:
    import pandas as pd  # imported on use: it costs 40 MB a server does not need

Selector = str | Iterable[str] | re.Pattern | None


def select_names(names: list[str], selector: Selector) -> list[str]:
    """Names matching an exact name, a collection of names, a compiled regex, or all."""
    if selector is None:
        return names
    if isinstance(selector, re.Pattern):
        return [name for name in names if selector.search(name)]
    if isinstance(selector, str):
        return [selector] if selector in names else []
    wanted = set(selector)
    return [name for name in names if name in wanted]


def decode_text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class Frames:
    """DataFrame views of the runs in ``self.runs`` (mixed into `Logdir`)."""

    runs: dict[str, Run]

    def select_runs(self, run: Selector) -> list[Run]:
        return [self.runs[name] for name in select_names(list(self.runs), run)]

    def _series(self, plugin: str, run: Selector, tag: Selector) -> Iterator[tuple[Run, str]]:
        for r in self.select_runs(run):
            for t in select_names(r.tags(plugin), tag):
                yield r, t

    def tags(self, plugin: str | None = None) -> dict[str, list[str]]:
        return {name: r.tags(plugin) for name, r in self.runs.items()}

    def scalars(self, run: Selector = None, tag: Selector = None) -> pd.DataFrame:
        import pandas as pd

        parts = []
        for r, t in self._series(kinds.SCALARS, run, tag):
            steps, walls, values = r.scalar_columns(t)
            parts.append((r.name, t, steps, walls, values.astype(np.float64)))
        if not parts:
            return pd.DataFrame({"run": [], "tag": [], "step": np.empty(0, np.int64), "wall_time": [], "value": []})
        lengths = [len(p[2]) for p in parts]
        return pd.DataFrame({
            "run": pd.Categorical(np.repeat([p[0] for p in parts], lengths)),
            "tag": pd.Categorical(np.repeat([p[1] for p in parts], lengths)),
            "step": np.concatenate([p[2] for p in parts]),
            "wall_time": np.concatenate([p[3] for p in parts]),
            "value": np.concatenate([p[4] for p in parts]),
        })

    def _rows(
        self, plugin: str, run: Selector, tag: Selector, expand: Callable[[TensorPoint], list[dict]],
        columns: list[str] | None = None,
    ) -> pd.DataFrame:
        import pandas as pd

        rows = []
        for r, t in self._series(plugin, run, tag):
            for point in r.points(t):
                for extra in expand(point):
                    rows.append({"run": r.name, "tag": t, "step": point.step, "wall_time": point.wall_time, **extra})
        return pd.DataFrame(rows, columns=["run", "tag", "step", "wall_time", *(columns or _COLUMNS[plugin])])

    def histograms(self, run: Selector = None, tag: Selector = None) -> pd.DataFrame:
        def expand(p: TensorPoint) -> list[dict]:
            b = np.asarray(p.value, dtype=np.float64).reshape(-1, 3)
            return [{"lefts": b[:, 0], "rights": b[:, 1], "counts": b[:, 2],
                     "min": b[0, 0] if len(b) else np.nan, "max": b[-1, 1] if len(b) else np.nan,
                     "num": b[:, 2].sum()}]
        return self._rows(kinds.HISTOGRAMS, run, tag, expand)

    def distributions(self, run: Selector = None, tag: Selector = None) -> pd.DataFrame:
        def expand(p: TensorPoint) -> list[dict]:
            values = compress_histogram(np.asarray(p.value, dtype=np.float64).reshape(-1, 3))
            return [{f"bp{bp}": v for bp, v in values}]
        return self._rows(kinds.HISTOGRAMS, run, tag, expand, _COLUMNS_DISTRIBUTIONS)

    def images(self, run: Selector = None, tag: Selector = None) -> pd.DataFrame:
        def expand(p: TensorPoint) -> list[dict]:
            width, height = int(p.value[0]), int(p.value[1])
            return [{"index": i, "width": width, "height": height, "image": img}
                    for i, img in enumerate(p.value[2:])]
        return self._rows(kinds.IMAGES, run, tag, expand)

    def audio(self, run: Selector = None, tag: Selector = None) -> pd.DataFrame:
        def expand(p: TensorPoint) -> list[dict]:
            clips = np.asarray(p.value, dtype=object).reshape(-1, 2)
            return [{"index": i, "audio": clip, "label": decode_text(label)}
                    for i, (clip, label) in enumerate(clips)]
        return self._rows(kinds.AUDIO, run, tag, expand)

    def text(self, run: Selector = None, tag: Selector = None) -> pd.DataFrame:
        def expand(p: TensorPoint) -> list[dict]:
            value = p.value
            if value.ndim == 0:
                return [{"value": decode_text(value.item())}]
            return [{"value": np.vectorize(decode_text, otypes=[object])(value)}]
        return self._rows(kinds.TEXT, run, tag, expand)

    def pr_curves(self, run: Selector = None, tag: Selector = None) -> pd.DataFrame:
        def expand(p: TensorPoint) -> list[dict]:
            data = np.asarray(p.value, dtype=np.float64)
            n = data.shape[1]
            return [{"thresholds": np.linspace(0, 1, n), "true_positives": data[0], "false_positives": data[1],
                     "true_negatives": data[2], "false_negatives": data[3],
                     "precision": data[4], "recall": data[5]}]
        return self._rows(kinds.PR_CURVES, run, tag, expand)

    def tensors(self, run: Selector = None, tag: Selector = None, plugin: str = "") -> pd.DataFrame:
        """Tensor summaries of ``plugin`` (by default those with no plugin)."""
        import pandas as pd

        rows = []
        for r, t in self._series(plugin, run, tag):
            for p in r.points(t):
                rows.append({"run": r.name, "tag": t, "step": p.step, "wall_time": p.wall_time, "value": p.value})
        return pd.DataFrame(rows, columns=["run", "tag", "step", "wall_time", "value"])

    def hparams(self, run: Selector = None) -> pd.DataFrame:
        """One row per session run: its hparams, status, times, and the last value of
        each metric of the experiment."""
        import pandas as pd

        runs = self.select_runs(run)
        experiment = hp.experiment(list(self.runs.values()))
        rows = []
        for session in hp.sessions(runs):
            row: dict[str, object] = {"run": session.run, **session.hparams}
            row["start_time"] = session.start.start_time_secs
            if session.end is not None:
                row["status"] = hp.status_name(session.end.status)
                row["end_time"] = session.end.end_time_secs
            for metric in experiment.metric_infos:
                row[metric.name.tag if not metric.name.group else f"{metric.name.group}/{metric.name.tag}"] = (
                    self._last_scalar(session.run, metric.name.group, metric.name.tag)
                )
            rows.append(row)
        return pd.DataFrame(rows)

    def _last_scalar(self, session_run: str, group: str, tag: str) -> float:
        name = session_run if not group else (group if session_run == "." else f"{session_run}/{group}")
        r = self.runs.get(name)
        if r is None or tag not in r.tags(kinds.SCALARS):
            return float("nan")
        with r.lock:
            series = r.scalars.get(tag)
            last = series.last() if series is not None else None
        return float(last[2]) if last else float("nan")


_COLUMNS = {
    kinds.HISTOGRAMS: ["lefts", "rights", "counts", "min", "max", "num"],
    kinds.IMAGES: ["index", "width", "height", "image"],
    kinds.AUDIO: ["index", "audio", "label"],
    kinds.TEXT: ["value"],
    kinds.PR_CURVES: ["thresholds", "true_positives", "false_positives", "true_negatives",
                      "false_negatives", "precision", "recall"],
}
_COLUMNS_DISTRIBUTIONS = [f"bp{bp}" for bp in DISTRIBUTION_BASIS_POINTS]
