"""Layout engine benchmark: time to lay out one group of a network-like DAG.

    python bench/bench_layout.py [--sizes 100 1000 3000] [--repeat 5]

Prints, per group size, the best and median wall time of an uncached ``layout_group`` and the
time of a cache hit, for network-like DAGs (about 1.5 edges per node) and, for comparison, a
uniformly random DAG with the same numbers of nodes and edges.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: tests.support

from flowscope.layout import LayoutGraph, clear_layout_cache, layout_group
from tests.support.layout_graphs import network_like_dag, random_graph


def seconds(graph: LayoutGraph, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        layout_group(graph, cache=False)
        times.append(time.perf_counter() - start)
    return times


def cache_hit_seconds(graph: LayoutGraph) -> float:
    clear_layout_cache()
    layout_group(graph)
    start = time.perf_counter()
    layout_group(LayoutGraph(graph.nodes, graph.edges))  # an equal graph, built again
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 1000, 3000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'graph':<14}{'nodes':>7}{'edges':>7}{'best ms':>10}{'median ms':>11}{'cached ms':>11}")
    for size in args.sizes:
        network = network_like_dag(size)
        uniform = random_graph(len(network.nodes), len(network.edges), seed=0)
        for name, graph in (("network-like", network), ("uniform DAG", uniform)):
            times = seconds(graph, args.repeat)
            print(
                f"{name:<14}{len(graph.nodes):>7}{len(graph.edges):>7}"
                f"{min(times) * 1e3:>10.1f}{statistics.median(times) * 1e3:>11.1f}"
                f"{cache_hit_seconds(graph) * 1e3:>11.2f}"
            )


if __name__ == "__main__":
    main()
