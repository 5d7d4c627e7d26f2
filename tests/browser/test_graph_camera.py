"""The camera of the graph dashboard: the first view fits at a sensible zoom, an expand
frames the group once it has grown, a collapse goes back, and the URL keeps the camera."""

from __future__ import annotations

import pytest

from tests.support.pages import GraphPage, open_graph


def camera(graph: GraphPage) -> dict:
    return graph.hook("camera()")


def test_small_graph_opens_enlarged_and_whole(page, graphs_url) -> None:
    graph = open_graph(page, graphs_url, "grun=torch_bert")
    assert camera(graph)["k"] > 1.2  # three nodes are not drawn tiny in a big canvas
    assert set(graph.drawn()) == set(graph.nodes())


def test_expand_frames_the_group_and_collapse_returns(page, graphs_url) -> None:
    graph = open_graph(page, graphs_url, "grun=inception")
    canvas = graph.canvas_box()
    before = camera(graph)
    assert 0.6 <= before["k"] <= 2
    graph.toggle("inception_v3_1")
    box = graph.box("inception_v3_1")
    framed = camera(graph)
    assert framed["k"] >= 0.6  # readable, not a needle
    # the group's top (its outputs) is on screen, and it fills the view's width or fits in it
    assert canvas["y"] <= box["y"] <= canvas["y"] + canvas["height"] / 3
    assert box["x"] >= canvas["x"] - 1 or box["x"] + box["width"] >= canvas["x"] + canvas["width"]
    assert box["x"] < canvas["x"] + canvas["width"] / 2
    assert len([n for n in graph.drawn() if n.startswith("inception_v3_1/")]) > 20
    graph.toggle("inception_v3_1", header=True)
    assert "inception_v3_1" not in graph.state()["expanded"]
    back = camera(graph)
    assert back == pytest.approx(before, abs=0.5)


def test_camera_is_kept_in_the_url(page, graphs_url) -> None:
    graph = open_graph(page, graphs_url, "grun=inception&gexpand=inception_v3_1")
    page.keyboard.press("+")
    page.keyboard.press("+")
    page.wait_for_function("() => location.hash.includes('gcam=')")
    page.wait_for_timeout(300)  # the camera is written once it rests
    moved = camera(graph)
    link = page.evaluate("() => location.hash")
    assert "gcam=" in link
    page.goto("about:blank")
    page.goto(f"{graphs_url}/{link}")
    graph = GraphPage(page)
    graph.wait()
    assert camera(graph) == pytest.approx(moved, rel=0.02, abs=2)
