"""Phase 1: break cycles by reversing a few edges (a feedback arc set found depth-first)."""

from __future__ import annotations

from collections.abc import Sequence

_NEW, _ON_STACK, _DONE = 0, 1, 2


def find_back_edges(num_nodes: int, edges: Sequence[tuple[int, int]]) -> set[int]:
    """Indices of the edges whose reversal makes the graph acyclic.

    An iterative depth-first search (no recursion limit) starts from the sources, then from any
    node not yet reached, in input order; an edge into a node still on the search stack closes a
    cycle and is reported. Self-loops must be removed beforehand.
    """
    successors: list[list[tuple[int, int]]] = [[] for _ in range(num_nodes)]
    has_predecessor = [False] * num_nodes
    for index, (source, target) in enumerate(edges):
        successors[source].append((target, index))
        has_predecessor[target] = True

    state = [_NEW] * num_nodes
    back_edges: set[int] = set()
    sources_first = [v for v in range(num_nodes) if not has_predecessor[v]]
    for root in sources_first + list(range(num_nodes)):
        if state[root] != _NEW:
            continue
        state[root] = _ON_STACK
        stack = [(root, iter(successors[root]))]
        while stack:
            node, pending = stack[-1]
            for target, index in pending:
                if state[target] == _NEW:
                    state[target] = _ON_STACK
                    stack.append((target, iter(successors[target])))
                    break
                if state[target] == _ON_STACK:
                    back_edges.add(index)
            else:
                state[node] = _DONE
                stack.pop()
    return back_edges
