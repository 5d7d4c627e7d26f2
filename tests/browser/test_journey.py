"""The app walked as a person walks it, on logs written by the real writers (TF2 with the
hparams plugin, the Keras callback, a TF1 FileWriter, torch.utils.tensorboard and
tensorboardX: ``tests/data/journey``, made by ``scripts/make_journey_logdir.py``).

Each journey clicks what a person clicks, and fails on any console error, uncaught
exception, failed request or error text in the app. Screenshots of every step go to
``tests/screenshots/journey/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.journey import (
    JOURNEY,
    PageWatch,
    error_texts,
    poll,
    shot,
    tensorboard_hparams,
    visible_dashboards,
)
from tests.support.pages import GraphPage, debug, pixels_vary
from tests.support.servers import FlowscopeServers

TRIALS = [f"tf2/hparam_tuning/trial-{i}" for i in range(3)]
# What each dashboard shows first on the journey logdir.
DRAWN = {
    "scalars": lambda p: any(c["draws"] for c in debug(p, "scalars") or []),
    "graphs": lambda p: p.evaluate(
        "() => !!(window.__flowscope_graph && window.__flowscope_graph.ready)"
    ),
    "histograms": lambda p: any(c["series"] for c in debug(p, "histograms") or []),
    "distributions": lambda p: any(c["series"] for c in debug(p, "distributions") or []),
    "images": lambda p: any(c["images"] for c in debug(p, "images") or []),
    "text": lambda p: any(c["text"] for c in debug(p, "text") or []),
    "pr_curves": lambda p: any(c["series"] for c in debug(p, "pr_curves") or []),
    "hparams": lambda p: len((debug(p, "hparams") or {}).get("rows", [])) == 4,
    "projector": lambda p: (debug(p, "projector") or {}).get("points") == 30,
}


@pytest.fixture(scope="module")
def journey_url(flowscope_servers: FlowscopeServers) -> str:
    return flowscope_servers.url(str(JOURNEY))


@pytest.fixture
def walk(page: Any, journey_url: str) -> Iterator[Any]:
    """The app opened at its root; at the end, nothing may have gone wrong."""
    watch = PageWatch(page)
    page.goto(journey_url + "/")
    page.wait_for_selector("section.pane")
    yield page
    assert not error_texts(page), f"error text in the app: {error_texts(page)}"
    assert not watch.problems, "\n".join(watch.problems)


def tab(page: Any, dashboard: str) -> Any:
    return page.locator(f'.tabs button[data-id="{dashboard}"]')


def shows(page: Any, dashboard: str, step: str) -> None:
    """Checks that ``dashboard``, and only it, is on screen and drawn, with no error
    text; takes the step's screenshot."""
    poll(
        page,
        lambda: visible_dashboards(page),
        lambda v: v == [dashboard],
        f"only {dashboard} visible",
    )
    assert tab(page, dashboard).get_attribute("aria-selected") == "true"
    assert f"dash={dashboard}" in page.evaluate("location.hash")
    poll(page, lambda: DRAWN[dashboard](page), bool, f"{dashboard} drawn")
    shot(page, step)
    assert not error_texts(page), f"{step}: {error_texts(page)}"


def click_tab(page: Any, dashboard: str, step: str) -> None:
    tab(page, dashboard).click()
    shows(page, dashboard, step)


def test_every_enabled_tab_shows_its_dashboard_alone(walk):
    enabled = [
        b.get_attribute("data-id") for b in walk.locator(".tabs button").all() if b.is_enabled()
    ]
    assert set(DRAWN) <= set(enabled), enabled  # every kind the writers wrote has its tab
    assert "audio" not in enabled  # nothing wrote audio
    for index, dashboard in enumerate(enabled):
        click_tab(walk, dashboard, f"tabs-{index:02d}-{dashboard}")
    click_tab(walk, enabled[0], "tabs-back-to-first")
    walk.keyboard.press(str(enabled.index("graphs") + 1))  # the number keys pick tabs too
    shows(walk, "graphs", "tabs-key-to-graphs")


def test_back_forward_and_a_hand_edited_hash(walk):
    click_tab(walk, "scalars", "history-1-scalars")
    smoothing = walk.locator(".dash-toolbar input[type=number]").first
    smoothing.fill("0.9")
    smoothing.dispatch_event("change")
    poll(
        walk,
        lambda: walk.evaluate("location.hash"),
        lambda h: "smoothing=0.9" in h,
        "smoothing in the URL",
    )
    click_tab(walk, "graphs", "history-2-graphs")
    graph = GraphPage(walk)
    graph.act(lambda: walk.select_option('select[aria-label="Run"]', "tf1"))
    graph.toggle("model")
    assert "model/hidden" in graph.nodes()
    click_tab(walk, "hparams", "history-3-hparams")

    walk.go_back()
    shows(walk, "graphs", "history-4-back-to-graphs")
    assert graph.state()["run"] == "tf1" and "model/hidden" in graph.nodes()
    for back in range(1, 5):  # graph changes are history entries too (Back undoes them)
        walk.go_back()
        if visible_dashboards(walk) != ["graphs"]:
            break
    shows(walk, "scalars", "history-5-back-to-scalars")
    assert walk.locator(".dash-toolbar input[type=number]").first.input_value() == "0.9"
    walk.go_forward()
    shows(walk, "graphs", "history-6-forward-to-graphs")

    origin = walk.evaluate("location.origin")
    walk.goto(f"{origin}/#dash=text")  # typed in the address bar: the same page, a new hash
    shows(walk, "text", "history-7-hash-edited-to-text")
    walk.goto(f"{origin}/#dash=nope&gexpand=%%%")
    poll(
        walk,
        lambda: visible_dashboards(walk),
        lambda v: len(v) == 1,
        "one dashboard after a bad hash",
    )
    shot(walk, "history-8-bad-hash")
    assert walk.locator("main.content").inner_text().strip()  # not a blank page


def hover_middle(page: Any, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)


def test_scalars_hover_and_smoothing(walk):
    click_tab(walk, "scalars", "scalars-1")
    card = '.scalar-card[data-tag="accuracy"]'
    walk.locator(card).scroll_into_view_if_needed()
    poll(
        walk,
        lambda: walk.locator(card).get_attribute("data-runs"),
        lambda r: r == "3",
        "3 trials drawn",
    )
    hover_middle(walk, f"{card} .u-over")
    tooltip = walk.locator(f"{card} .chart-tooltip")
    tooltip.wait_for(state="visible")
    assert all(trial in tooltip.inner_text() for trial in TRIALS)
    shot(walk, "scalars-2-tooltip")
    walk.mouse.move(0, 0)
    smoothing = walk.locator(".dash-toolbar input[type=number]").first
    smoothing.fill("0")
    smoothing.dispatch_event("change")

    def accuracy_line() -> dict:
        lines = next(c for c in debug(walk, "scalars") if c["tag"] == "accuracy")["lines"]
        return next(line for line in lines if line["run"] == TRIALS[2])

    line = poll(walk, accuracy_line, lambda l: l["smoothed"] == l["raw"], "unsmoothed line")
    values = tensorboard_hparams([TRIALS[2]])[TRIALS[2]]
    assert line["raw"][-1] == pytest.approx(values["accuracy"], rel=1e-6)
    shot(walk, "scalars-3-no-smoothing")


def test_graphs_expand_and_search_each_writer(walk):
    click_tab(walk, "graphs", "graphs-1")
    graph = GraphPage(walk)
    graph.act(lambda: walk.select_option('select[aria-label="Run"]', "tf1"))
    graph.toggle("model")
    assert {"model/hidden", "model/out"} <= set(graph.nodes())
    shot(walk, "graphs-2-tf1-expanded")
    graph.type_search("MatMul")
    hit = walk.locator(".graph-search li[role=option]").first
    name = hit.get_attribute("data-name")
    graph.act(hit.click)
    graph.wait_info(name)
    assert "MatMul" in graph.info_text()
    shot(walk, "graphs-3-tf1-search")
    graph.act(lambda: walk.select_option('select[aria-label="Run"]', "torch"))
    graph.toggle("Sequential")
    assert any(n.startswith("Sequential/") for n in graph.nodes())
    shot(walk, "graphs-4-torch-expanded")


def test_histograms_distributions_and_pr_curves_read_under_the_pointer(walk):
    for dashboard, card, readout in [
        ("histograms", ".histogram-card", ".card-readout"),
        ("distributions", ".distribution-card", ".card-readout"),
        ("pr_curves", ".pr-card", ".readout-table"),
    ]:
        click_tab(walk, dashboard, f"{dashboard}-1")
        first = walk.locator(card).first
        hover_middle(walk, f"{card} .u-over")
        shown = first.locator(readout)
        poll(walk, shown.inner_text, bool, f"{dashboard} readout")
        shot(walk, f"{dashboard}-2-hover")
        walk.mouse.move(0, 0)


def test_images_open_and_text(walk):
    click_tab(walk, "images", "images-1")
    walk.locator(".image-card img").first.click()
    viewer = walk.locator(".image-viewer")
    viewer.wait_for(state="visible")
    assert viewer.locator("img").bounding_box()["width"] >= 256  # larger than the 32-px image
    shot(walk, "images-2-open")
    walk.keyboard.press("Escape")
    viewer.wait_for(state="detached")
    click_tab(walk, "text", "text-1")
    assert walk.locator(".text-card strong", has_text="tensorboardX").is_visible()


def test_hparams_sessions_by_run_with_their_curves(walk):
    click_tab(walk, "hparams", "hparams-1")
    info = debug(walk, "hparams")
    assert info["rows"] == [*TRIALS, "torch/hparams"]
    assert {"bs", "lr", "hparam/accuracy", "num_units", "dropout", "optimizer"} <= set(
        info["columns"]
    )
    swatches = walk.locator(".session-table tbody .swatch").evaluate_all(
        "spans => spans.map((s) => getComputedStyle(s).backgroundColor)"
    )
    assert len(set(swatches)) == 4  # a colour each

    expected = tensorboard_hparams([*TRIALS, "torch/hparams"])
    headers = walk.locator(".session-table thead tr").first.locator("th").all_inner_texts()
    labels = {"Accuracy": "accuracy", "Loss": "loss"}
    for row in walk.locator(".session-table tbody tr").all():
        cells = dict(zip(headers, row.locator("td").all_inner_texts()))
        run = row.get_attribute("data-session")
        for header, text in cells.items():
            key = labels.get(header.rstrip(" ▲▼"), header.rstrip(" ▲▼"))
            if key == "Session" or key not in expected[run]:
                assert key == "Session" or text == "", (run, header, text)
                continue
            value = expected[run][key]
            shown = float(text) if isinstance(value, float) else text
            assert shown == (
                pytest.approx(value, rel=1e-3) if isinstance(value, float) else str(value)
            ), (run, key)

    walk.locator(f'.session-table tr[data-session="{TRIALS[0]}"]').click()
    info = poll(
        walk,
        lambda: debug(walk, "hparams"),
        lambda i: i["curves"] and all(c["runs"] == 1 for c in i["curves"]),
        "trial-0 curves",
    )
    assert [c["tag"] for c in info["curves"]] == ["accuracy", "loss"]
    walk.locator(".hparams-dash .card-grid").scroll_into_view_if_needed()
    shot(walk, "hparams-2-trial-0-selected")
    walk.locator('.session-table tr[data-session="torch/hparams"]').click()
    info = poll(
        walk,
        lambda: debug(walk, "hparams"),
        lambda i: len(i["curves"]) == 3 and all(c["runs"] for c in i["curves"]),
        "torch curves",
    )
    assert {c["tag"]: c["runs"] for c in info["curves"]} == {
        "accuracy": 1,
        "loss": 1,
        "hparam/accuracy": 1,
    }
    walk.locator(".hparams-dash .card-grid").scroll_into_view_if_needed()
    shot(walk, "hparams-3-torch-selected")


def test_projector_shows_the_torch_embedding(walk):
    click_tab(walk, "projector", "projector-1")
    info = debug(walk, "projector")
    assert info["embedding"] == "torch:features:00000"  # tag and step, as torch names it
    assert info["dims"] == 3 and info["colors"] == 3  # coloured by the metadata's labels
    plot = walk.locator(".projector-body canvas").first
    poll(walk, plot.screenshot, pixels_vary, "the points drawn")
    shot(walk, "projector-2-drawn")


def test_the_watch_catches_what_goes_wrong(page, journey_url):
    """The journeys' guards are not vacuous: each kind of failure is caught."""
    watch = PageWatch(page)
    page.goto(journey_url + "/")
    page.wait_for_selector("section.pane")
    page.evaluate("fetch('/data/plugin/scalars/scalars?run=nope&tag=nope')")
    page.evaluate("console.error('broken')")
    page.evaluate("setTimeout(() => { throw new Error('uncaught one'); })")
    page.evaluate("document.querySelector('section.pane').append('⚠ Cannot read it')")
    poll(page, lambda: list(watch.problems), lambda p: len(p) >= 4, "four problems")
    text = "\n".join(watch.problems)
    assert "HTTP 4" in text and "broken" in text and "uncaught one" in text
    assert error_texts(page) == ["⚠ Cannot read it"]
    page.errors.clear()  # the page fixture would fail on the uncaught error
