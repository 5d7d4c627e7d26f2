"""The graph dashboard on the demo logdir, in headless Chromium: expand and collapse,
search and jump, the info panel, colour modes, include/exclude, series, trace, reload,
upload and download, pan and zoom. The demo opens on ``tf1_profile``, TensorFlow's
graph of a TF1 training job with RunMetadata."""

from __future__ import annotations

from pathlib import Path

from flowscope import SummaryWriter
from tests.support.graphdefs import GRAPHS
from tests.support.pages import GraphPage, open_dashboard, open_graph
from tests.support.servers import flowscope_server

RUN = "tf1_profile"


def inside(box: dict, area: dict) -> bool:
    return (
        box["x"] >= area["x"] - 1
        and box["y"] >= area["y"] - 1
        and box["x"] + box["width"] <= area["x"] + area["width"] + 1
        and box["y"] + box["height"] <= area["y"] + area["height"] + 1
    )


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"] - 1
        and b["x"] < a["x"] + a["width"] - 1
        and a["y"] < b["y"] + b["height"] - 1
        and b["y"] < a["y"] + a["height"] - 1
    )


def info_button(graph: GraphPage, text: str) -> None:
    graph.act(lambda: graph.page.click(f".graph-info button:text-is('{text}')"))


def test_opens_on_the_first_graph_and_draws_it(page, demo_url) -> None:
    graph = open_graph(page, demo_url)
    assert page.locator(".tabs button[data-id=graphs]").is_enabled()
    state = graph.state()
    assert (state["run"], state["tag"], state["expanded"]) == (RUN, "__run_graph__", [])
    page.keyboard.press("f")
    page.wait_for_function("() => window.__flowscope_graph.ready")
    drawn = graph.drawn()
    assert {"x", "labels", "layer_[1-6]", "logits", "loss", "gradients"} <= set(drawn)
    assert set(drawn) == set(graph.nodes())  # fitted: everything is on screen
    canvas = graph.canvas_box()
    assert all(inside(box, canvas) for box in drawn.values())
    boxes = list(drawn.values())
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert page.locator(".graph-legend summary").first.inner_text() == "Colour: Structure"


def test_expand_and_collapse_keep_the_rest_in_order(page, demo_url) -> None:
    graph = open_graph(page, demo_url)
    before = graph.drawn()
    graph.toggle("loss")
    after = graph.drawn()
    assert graph.state()["expanded"] == ["loss"]
    assert {"loss/Mean", "loss/SparseSoftmaxCrossEntropyWithLogits"} <= set(after)
    assert abs(after["loss"]["x"] - before["loss"]["x"]) < 2  # the clicked node stays put
    assert abs(after["loss"]["y"] - before["loss"]["y"]) < 2
    shared = [n for n in before if n in after and graph.nodes()[n]["column"] == "main"]
    order = lambda boxes: sorted(shared, key=lambda n: (boxes[n]["x"], n))
    assert order(before) == order(after)  # shifted, not reshuffled
    graph.toggle("loss", header=True)
    assert graph.state()["expanded"] == []
    assert "loss/Mean" not in graph.drawn()


def test_search_expands_the_ancestors_and_centres(page, demo_url) -> None:
    graph = open_graph(page, demo_url)
    graph.search("conv/MatMul", "layer_3/conv/MatMul")
    state = graph.state()
    assert {"layer_[1-6]", "layer_3", "layer_3/conv"} <= set(state["expanded"])
    assert state["selected"] == "layer_3/conv/MatMul"
    graph.wait_info("layer_3/conv/MatMul")
    box, canvas = graph.box("layer_3/conv/MatMul"), graph.canvas_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert abs(centre[0] - (canvas["x"] + canvas["width"] / 2)) < 5
    assert abs(centre[1] - (canvas["y"] + canvas["height"] / 2)) < 5


def test_info_panel_of_an_op(page, demo_url) -> None:
    graph = open_graph(page, demo_url)
    graph.centre("logits/MatMul")
    graph.select("logits/MatMul")
    text = graph.info_text()
    for expected in ("MatMul", "logits/MatMul", "Op", "ATTRIBUTES", "INPUTS (2)", "OUTPUTS (2)"):
        assert expected in text
    assert "?×64" in text  # the input's shape
    assert "Compute time" in text and "Memory" in text  # the run's RunMetadata
    assert page.locator(".graph-info a", has_text="layer_6/relu").count() == 1


def test_colour_modes_and_their_legends(page, demo_url) -> None:
    graph = open_graph(page, demo_url)
    colours = {}
    titles = {
        "structure": "Structure",
        "device": "Device",
        "xla": "XLA cluster",
        "compute_time": "Compute time",
        "memory": "Memory",
    }
    for mode, title in titles.items():
        graph.act(lambda: page.select_option(".graph-colour", mode))  # noqa: B023
        assert graph.state()["colour"] == mode
        legend = page.locator(".graph-legend")
        assert legend.locator("summary").first.inner_text() == f"Colour: {title}"
        assert legend.get_attribute("data-mode") == mode
        colours[mode] = {n: v["colour"] for n, v in graph.nodes().items()}
    assert page.locator(".graph-legend .gradient").count() == 1  # memory: a scale
    assert "B" in page.locator(".graph-legend .ends").inner_text()
    assert colours["compute_time"] != colours["structure"]
    graph.act(lambda: page.select_option(".graph-colour", "xla"))
    assert page.locator(".graph-legend li", has_text="cluster_0").count() == 1


def test_include_and_exclude_keep_other_expansions(page, demo_url) -> None:
    graph = open_graph(page, demo_url, f"grun={RUN}&gexpand=logits&gexpand=loss")
    assert graph.nodes()["loss/Mean"]["column"] == "main"
    graph.select("loss/Mean")
    info_button(graph, "Move out of main graph")
    state = graph.state()
    assert state["exclude"] == ["loss/Mean"] and state["expanded"] == ["logits", "loss"]
    assert graph.nodes()["loss/Mean"]["column"] in ("in", "out")
    graph.wait_info("loss/Mean")
    info_button(graph, "Move into main graph")
    state = graph.state()
    assert state["include"] == ["loss/Mean"] and state["exclude"] == []
    assert state["expanded"] == ["logits", "loss"]
    assert graph.nodes()["loss/Mean"]["column"] == "main"
    assert {"logits/MatMul", "loss/Mean"} <= set(graph.nodes())


def test_a_series_ungroups_and_regroups(page, demo_url) -> None:
    graph = open_graph(page, demo_url, f"grun={RUN}&gexpand=logits")
    graph.toggle("layer_[1-6]")
    graph.wait_info("layer_[1-6]")
    info_button(graph, "Ungroup series")
    nodes = graph.nodes()
    assert "layer_[1-6]" not in nodes and {"layer_1", "layer_6"} <= set(nodes)
    assert graph.state()["ungrouped"] == ["layer_[1-6]"]
    assert "logits" in graph.state()["expanded"]
    graph.wait_info("layer_[1-6]")
    info_button(graph, "Group series layer_[1-6]")
    assert "layer_[1-6]" in graph.nodes() and graph.state()["ungrouped"] == []


def test_trace_inputs_fades_the_rest(page, demo_url) -> None:
    graph = open_graph(page, demo_url, f"grun={RUN}&gexpand=loss")
    graph.select("loss/Mean")
    page.keyboard.press("i")
    page.wait_for_function("() => window.__flowscope_graph.traced() !== null")
    traced = set(graph.hook("traced()"))
    assert {"loss/Mean", "loss", "labels", "x", "layer_[1-6]", "logits"} <= traced
    assert "gradients" not in traced and "GradientDescent" not in traced
    assert graph.state()["trace"]
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.__flowscope_graph.traced() === null")
    assert graph.state()["selected"] is None and not graph.state()["trace"]


def test_reload_brings_the_view_back(page, demo_url) -> None:
    graph = open_graph(page, demo_url, f"grun={RUN}&gexpand=loss&gexpand=logits")
    graph.select("loss/Mean")
    info_button(graph, "Move out of main graph")
    graph.act(lambda: page.select_option(".graph-colour", "memory"))
    page.click(".graph-info button:text-is('Trace inputs')")
    page.wait_for_function("() => window.__flowscope_graph.traced() !== null")
    state, nodes = graph.state(), graph.nodes()
    page.reload()
    graph.wait()
    assert graph.state() == state
    assert graph.nodes() == nodes
    graph.wait_info("loss/Mean")
    assert page.locator(".graph-legend").get_attribute("data-mode") == "memory"
    page.wait_for_function("() => window.__flowscope_graph.traced() !== null")
    assert page.locator(".graph-info button[aria-pressed=true]").inner_text() == "Trace inputs"


def test_expand_to_depth_and_collapse_all(page, demo_url) -> None:
    graph = open_graph(page, demo_url)
    graph.act(lambda: page.select_option(".graph-depth", "2"))
    expanded = set(graph.state()["expanded"])
    assert {"layer_[1-6]", "layer_1", "logits", "gradients"} <= expanded
    assert "layer_1/conv" not in expanded  # depth 3
    graph.act(lambda: page.click(".graph-toolbar button:text-is('Collapse all')"))
    assert graph.state()["expanded"] == []


def test_pan_zoom_fit_and_minimap(page, demo_url) -> None:
    graph = open_graph(page, demo_url)
    canvas = graph.canvas_box()
    middle = (canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2)
    start = graph.hook("camera()")
    page.mouse.move(*middle)
    page.mouse.wheel(0, -300)
    page.wait_for_function(f"() => window.__flowscope_graph.camera().k > {start['k']}")
    zoomed = graph.hook("camera()")
    page.mouse.move(*middle)
    page.mouse.down()
    page.mouse.move(middle[0] - 200, middle[1] - 50, steps=5)
    page.mouse.up()
    moved = graph.hook("camera()")
    assert abs(moved["x"] - (zoomed["x"] - 200)) < 1 and abs(moved["y"] - (zoomed["y"] - 50)) < 1
    assert graph.state()["expanded"] == []  # a drag is not a click
    minimap = page.locator(".graph-minimap")
    assert minimap.is_visible()
    box = minimap.bounding_box()
    page.mouse.click(box["x"] + 3, box["y"] + box["height"] / 2)
    assert graph.hook("camera()")["x"] != moved["x"]
    page.click(".graph-toolbar button:text-is('Fit')")
    page.wait_for_function("() => window.__flowscope_graph.ready")
    assert set(graph.drawn()) == set(graph.nodes())
    assert not minimap.is_visible()  # everything is in view


def test_keyboard_shortcuts(page, demo_url) -> None:
    graph = open_graph(page, demo_url)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Search")
    page.keyboard.press("Escape")
    k = graph.hook("camera()")["k"]
    page.keyboard.press("+")
    assert graph.hook("camera()")["k"] > k
    graph.select("labels")
    page.keyboard.press("Escape")
    page.wait_for_selector(".graph-info .empty")
    assert graph.state()["selected"] is None


def test_switching_graphs_and_going_back(page, demo_url) -> None:
    graph = open_graph(page, demo_url, f"grun={RUN}&gexpand=loss")
    graph.act(lambda: page.select_option(".graph-run", "lr_0.1"))
    state = graph.state()
    assert state["run"] == "lr_0.1" and state["expanded"] == []
    assert "inception_v3_1" in graph.nodes()
    graph.act(page.go_back)
    assert graph.state()["run"] == RUN and graph.state()["expanded"] == ["loss"]
    profile = page.locator(".graph-tag option", has_text="Profile").get_attribute("value")
    graph.act(lambda: page.select_option(".graph-tag", profile))
    assert graph.state()["tag"] == profile


def test_upload_then_download_svg_and_png(page, demo_url, tmp_path: Path) -> None:
    graph = open_graph(page, demo_url)
    graph.act(lambda: page.set_input_files(".graph-file", str(GRAPHS / "tf1_train.pbtxt")))
    state = graph.state()
    assert state["upload"]
    assert page.locator(".graph-run option:checked").inner_text() == "Uploaded: tf1_train.pbtxt"
    assert "layer_[1-6]" in graph.nodes()
    graph.toggle("loss")
    page.reload()
    graph.wait()
    assert graph.state()["upload"] == state["upload"] and graph.state()["expanded"] == ["loss"]
    assert page.locator(".graph-run option:checked").inner_text() == "Uploaded: tf1_train.pbtxt"
    with page.expect_download() as svg:
        page.click(".graph-toolbar button:text-is('SVG')")
    assert svg.value.suggested_filename.endswith(".svg")
    text = Path(svg.value.path()).read_text()
    assert text.startswith("<svg") and "loss" in text
    with page.expect_download() as png:
        page.click(".graph-toolbar button:text-is('PNG')")
    data = Path(png.value.path()).read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000


def test_a_bad_link_falls_back_to_a_graph(page, demo_url) -> None:
    graph = open_graph(page, demo_url, "grun=nope&gexpand=zzz&gcolour=bogus&gselect=qq")
    state = graph.state()
    assert state["run"] == RUN and state["colour"] == "structure" and state["expanded"] == []
    assert graph.drawn()


def test_upload_works_in_a_logdir_without_graphs(page, tmp_path: Path) -> None:
    with SummaryWriter(str(tmp_path / "run")) as writer:
        writer.add_scalar("loss", 1.0, 0)
    with flowscope_server(str(tmp_path)) as url:
        open_dashboard(page, url, "graphs")
        assert page.locator(".tabs button[data-id='graphs']").is_enabled()
        graph = GraphPage(page)
        before = graph.views()
        page.set_input_files(".graph-file", str(GRAPHS / "keras_resnet50.pb"))
        graph.wait(before)
        assert page.locator(".graph-run option:checked").inner_text() == "Uploaded: keras_resnet50.pb"
        assert graph.nodes()
