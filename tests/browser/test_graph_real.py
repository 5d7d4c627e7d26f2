"""The graph dashboard on real graphs: Keras' InceptionV3 (2.2K ops), the TF1 training
graph with RunMetadata, and the torch-traced BERT-like model."""

from __future__ import annotations

from tests.support.pages import GraphPage, open_graph


def pick_search_hit(graph: GraphPage, text: str, kind: str | None = None) -> str:
    """Types ``text`` in the search box and picks the first hit (of op type ``kind``)."""
    page = graph.page
    graph.type_search(text)
    options = page.locator(".graph-search li[role=option]")
    if kind is not None:
        options = options.filter(has=page.locator(".kind", has_text=kind))
    name = options.first.get_attribute("data-name")
    graph.act(options.first.click)
    return name


def test_inception_expand_search_and_info(page, graphs_url) -> None:
    graph = open_graph(page, graphs_url, "grun=inception")
    assert set(graph.nodes()) == {"x", "inception_v3_1", "Identity", "NoOp"}
    graph.toggle("inception_v3_1")
    children = [n for n in graph.nodes() if n.startswith("inception_v3_1/")]
    assert len(children) > 300
    assert len(graph.drawn()) > 10
    name = pick_search_hit(graph, "mixed5")
    assert name == "inception_v3_1/mixed5_1"
    assert graph.state()["selected"] == name and name in graph.drawn()
    graph.wait_info(name)
    assert "name scope" in graph.info_text() and "same as" in graph.info_text()
    op = pick_search_hit(graph, "conv2d_1/", kind="Conv2D")
    graph.wait_info(op)
    text = graph.info_text()
    assert "Conv2D" in text and "strides" in text and "INPUTS (2)" in text


def test_inception_thousands_of_nodes_stay_smooth(page, graphs_url) -> None:
    graph = open_graph(page, graphs_url, "grun=inception")
    graph.act(lambda: page.select_option(".graph-depth", "5"))
    count = len(graph.nodes())
    assert count > 2500
    page.keyboard.press("f")
    page.wait_for_function("() => window.__flowscope_graph.ready")
    assert len(graph.drawn()) == count  # all of them on screen at once
    canvas = graph.canvas_box()
    frames = graph.hook("frames")
    page.mouse.move(canvas["x"] + 300, canvas["y"] + 300)
    page.mouse.down()
    timings = []
    for step in range(10):
        page.mouse.move(canvas["x"] + 300 + 20 * step, canvas["y"] + 300 + 5 * step)
        timings.append(graph.hook("frameMs"))
    page.mouse.up()
    assert graph.hook("frames") > frames + 5
    assert sorted(timings)[len(timings) // 2] < 50  # milliseconds to draw ~3,000 nodes


def test_tf1_profile_colours_and_stats(page, graphs_url) -> None:
    graph = open_graph(page, graphs_url, "grun=tf1_train")
    graph.act(lambda: page.select_option(".graph-tag", "step_1"))
    assert graph.state()["tag"] == "step_1"
    graph.act(lambda: page.select_option(".graph-colour", "compute_time"))
    legend = page.locator(".graph-legend")
    assert legend.locator(".gradient").count() == 1
    assert "ms" in legend.locator(".ends").inner_text()
    graph.act(lambda: page.select_option(".graph-colour", "device"))
    assert legend.locator("li", has_text="/device:CPU:0").count() == 1
    graph.select("gradients")
    text = graph.info_text()
    assert "Compute time" in text and "Memory" in text and "Subgraph" in text


def test_bert_series_and_choices_keep_expansions(page, graphs_url) -> None:
    graph = open_graph(page, graphs_url, "grun=torch_bert")
    graph.toggle("BertModel")
    series = "BertModel/BertLayer[0-11]"
    assert graph.nodes()[series]["kind"] == "series"
    graph.toggle(series)
    graph.wait_info(series)
    assert {"BertModel", series} <= set(graph.state()["expanded"])
    graph.act(lambda: page.click(".graph-info button:text-is('Ungroup series')"))
    nodes = graph.nodes()
    assert series not in nodes and "BertModel/BertLayer[11]" in nodes
    assert "BertModel" in graph.state()["expanded"]
    graph.centre("BertModel/Linear[pooler]")
    graph.act(lambda: page.click(".graph-info button:text-is('Move out of main graph')"))
    state = graph.state()
    assert state["exclude"] == ["BertModel/Linear[pooler]"] and "BertModel" in state["expanded"]
    assert state["ungrouped"] == [series]
    assert graph.nodes()["BertModel/Linear[pooler]"]["column"] != "main"
    name = pick_search_hit(graph, "BertSelfAttention")
    assert name.startswith("BertModel/BertLayer[") and name in graph.drawn()
    assert graph.state()["exclude"] == ["BertModel/Linear[pooler]"]
