"""Issue 2 benchmark: time and peak memory to load a large logdir, flowscope vs
tensorboard's Python loader (EventMultiplexer / EventAccumulator), in one run.

    python bench/bench_load.py [--logdir DIR] [--small]

Generates the logdir first if it is missing (see make_logdir.py).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from make_logdir import generate
from measure import run_measured

LOADERS = {
    "flowscope": """
import sys, time, json
if __name__ == "__main__":
    t = time.perf_counter()
    import flowscope
    logdir = flowscope.Logdir(sys.argv[1], workers=int(sys.argv[2]))
    points = sum(len(s) for r in logdir.runs.values() for s in r.scalars.values())
    print(json.dumps({"seconds": time.perf_counter() - t, "scalar_points": points}))
""",
    "tensorboard": """
import sys, time, json
if __name__ == "__main__":
    t = time.perf_counter()
    from tensorboard.backend.event_processing import plugin_event_multiplexer as pem
    guidance = {"scalars": 0, "tensors": 0} if sys.argv[2] == "all" else None
    m = pem.EventMultiplexer(size_guidance=guidance, tensor_size_guidance=guidance)
    m.AddRunsFromDirectory(sys.argv[1])
    m.Reload()
    points = sum(len(m.Tensors(run, tag)) for run in m.Runs()
                 for tag in m.PluginRunToTagToContent("scalars").get(run, {}))
    print(json.dumps({"seconds": time.perf_counter() - t, "scalar_points": points}))
""",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logdir", default=str(Path(__file__).parent / "data" / "large"))
    parser.add_argument("--small", action="store_true", help="a quick check on a small logdir")
    parser.add_argument("--flowscope-only", action="store_true", help="skip tensorboard (no ratio)")
    args = parser.parse_args()
    logdir = args.logdir + ("-small" if args.small else "")
    if not os.path.isdir(logdir):
        generate(logdir, small=args.small)
    scripts = Path(__file__).parent / "out"
    scripts.mkdir(exist_ok=True)
    for name, code in LOADERS.items():
        (scripts / f"load_{name}.py").write_text(code)
    cases = [
        ("flowscope, 1 process", "flowscope", "1"),
        (f"flowscope, {os.cpu_count()} processes", "flowscope", str(os.cpu_count())),
        ("tensorboard EventMultiplexer, default sampling", "tensorboard", "default"),
    ][: 2 if args.flowscope_only else 3]
    results = []
    for label, loader, option in cases:
        seconds, peak, out = run_measured([str(scripts / f"load_{loader}.py"), logdir, option])
        inner = json.loads(out.strip().splitlines()[-1])
        results.append((label, inner["seconds"], peak, inner["scalar_points"]))
        print(f"{label:50s} {inner['seconds']:8.2f} s  peak {peak / 2**20:8.0f} MiB  "
              f"scalar points kept {inner['scalar_points']:,}", flush=True)
    if args.flowscope_only:
        return
    base = results[-1][1]
    for label, seconds, _, _ in results[:-1]:
        print(f"{label}: {base / seconds:.1f}x faster than tensorboard")


if __name__ == "__main__":
    main()
