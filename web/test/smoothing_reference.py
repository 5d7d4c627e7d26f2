"""Writes smoothing_reference.json: series smoothed with TensorBoard's debiased EMA
(vz_line_chart2's formula: an EMA from 0 over the finite values, divided by
1 - weight**n; non-finite values pass through; a series of equal values is left as is),
computed here in Python, independently of the web app's TypeScript.

    python web/test/smoothing_reference.py
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path


def tensorboard_smooth(values: list[float], weight: float) -> list[float]:
    constant = all(v == values[0] for v in values)
    last, count, out = 0.0, 0, []
    for value in values:
        if constant or not math.isfinite(value):
            out.append(value)
            continue
        last = last * weight + (1 - weight) * value
        count += 1
        debias = 1 - math.pow(weight, count) if weight != 1 else 1.0
        out.append(last / debias)
    return out


def encode(value: float) -> float | str:
    """JSON has no NaN or infinities: those go as the strings JavaScript's Number() reads."""
    return value if math.isfinite(value) else str(value).replace("inf", "Infinity").replace("nan", "NaN")


def main() -> None:
    rng = random.Random(12)
    walk, level = [], 0.0
    for _ in range(300):
        level += rng.gauss(0, 1)
        walk.append(round(level, 4))
    gappy = [v if i % 17 else math.nan for i, v in enumerate(walk)]
    gappy[50], gappy[51] = math.inf, -math.inf
    loss = [round(math.exp(-i / 200) + 0.05 * rng.random(), 4) for i in range(1500)]
    series = [
        ("random walk", walk, (0.0, 0.6, 0.9, 0.99)),
        ("NaN and infinities", gappy, (0.6, 0.99)),
        ("long loss", loss, (0.6, 0.999)),  # 0.6**n underflows: the debiasing ends
        ("constant", [3.25] * 20, (0.9,)),
        ("small", [1.0, 2.0, 3.0], (0.5,)),
    ]
    cases = [
        {
            "name": name,
            "values": [encode(v) for v in values],
            "smoothed": {
                str(w): [encode(v) for v in tensorboard_smooth(values, w)] for w in weights
            },
        }
        for name, values, weights in series
    ]
    path = Path(__file__).with_suffix(".json")
    path.write_text(json.dumps(cases, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
