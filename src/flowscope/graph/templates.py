"""Repeated structure: groups with the same inner graph share a template id.

Groups are processed by height, lowest first, so every child group has its
template before its parent is compared (TensorBoard's inverted sort gives nested
blocks distinct ids). A group's structure key is its signature (height, number
of children and child edges, op histogram below it) plus a Weisfeiler-Lehman
hash of its child graph, where ops are labelled by type, child groups by
template id and edges by whether they are control-only. Equal keys, one template.
"""

from __future__ import annotations

import colorsys
from collections import defaultdict

import numpy as np

from flowscope.graph.edges import lca_children
from flowscope.graph.hierarchy import Group, Hierarchy, OpLeaf

WL_ROUNDS = 3
GOLDEN_ANGLE = 137.50776405003785
UNIQUE_COLOUR = "#d9d9d9"


def structure_colour(template_rank: int) -> str:
    """A distinct pastel for each repeated template: hues step by the golden angle and
    lightness cycles over three levels, so neighbours in rank never look alike."""
    hue = (template_rank * GOLDEN_ANGLE) % 360 / 360
    lightness = (0.78, 0.70, 0.86)[(template_rank // 7) % 3]
    r, g, b = colorsys.hls_to_rgb(hue, lightness, 0.55)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def child_edge_lists(h: Hierarchy) -> dict[int, list[tuple[int, int, bool]]]:
    """Group id -> (source child id, target child id, control only) per child pair."""
    cs, cd = lca_children(h)
    n = len(h.by_id)
    keys = cs * n + cd
    unique, inverse = np.unique(keys, return_inverse=True)
    has_data = np.zeros(len(unique), dtype=bool)
    np.logical_or.at(has_data, inverse, ~h.edge_control)
    parent = np.fromiter((node.parent.id if node.parent else -1 for node in h.by_id), np.int64, n)
    src, dst = unique // n, unique % n
    lists: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    for g, s, d, data in zip(parent[src].tolist(), src.tolist(), dst.tolist(), has_data.tolist()):
        lists[g].append((s, d, not data))
    return lists


def assign_templates(
    h: Hierarchy, edges: dict[int, list[tuple[int, int, bool]]]
) -> dict[int, list[Group]]:
    """Sets `Group.template` on every group from the `child_edge_lists`; returns template
    id -> its groups, ids numbered by first appearance in graph order."""
    interned: dict[object, int] = {}
    intern = lambda value: interned.setdefault(value, len(interned))
    key_of: dict[int, int] = {}
    groups = sorted((g for g in h.by_id if isinstance(g, Group)), key=lambda g: (g.height, g.id))
    for group in groups:
        child_edges = edges.get(group.id, [])
        label = {
            c.id: intern(("op", c.op.op) if isinstance(c, OpLeaf) else ("group", key_of[c.id]))
            for c in group.children
        }
        signature = (
            group.height,
            len(group.children),
            len(child_edges),
            tuple(sorted(group.op_hist.items())),
        )
        key_of[group.id] = intern((signature, _wl_hash(label, child_edges, intern)))

    templates: dict[int, list[Group]] = {}
    number: dict[int, int] = {}
    for group in (g for g in h.by_id if isinstance(g, Group)):
        group.template = number.setdefault(key_of[group.id], len(number))
        templates.setdefault(group.template, []).append(group)
    return templates


def _wl_hash(label: dict[int, int], edges: list[tuple[int, int, bool]], intern) -> int:
    """A Weisfeiler-Lehman digest of a labelled directed graph."""
    ins: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    outs: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for s, d, control in edges:
        outs[s].append((d, control))
        ins[d].append((s, control))
    for _ in range(WL_ROUNDS):
        label = {
            v: intern(
                (
                    x,
                    tuple(sorted((label[u], c) for u, c in ins.get(v, ()))),
                    tuple(sorted((label[u], c) for u, c in outs.get(v, ()))),
                )
            )
            for v, x in label.items()
        }
    return intern(tuple(sorted(label.values())))
