"""The app as a person moves through it: tabs that switch (by click, number key, Back,
Forward and a hand-edited hash), tabs enabled only with data, a bad link or an empty
logdir explained, scalar cards filling the row with one tick format per axis, and the
histogram offset view labelled with real steps. Every test fails on console errors,
failed requests and uncaught exceptions."""

from __future__ import annotations

import re

import numpy as np
import pytest

from flowscope.io.writer import SummaryWriter
from tests.support.app_shell import (
    WIDE,
    Watched,
    hash_state,
    screenshot,
    ticks,
    visible_dashboards,
    wait_shown,
)
from tests.support.pages import GraphPage
from tests.support.servers import flowscope_server

DEMO_TABS = [
    "scalars", "graphs", "histograms", "distributions", "images", "audio", "text",
    "pr_curves", "hparams", "projector", "model_insight",
]  # fmt: skip


@pytest.fixture
def watched(page):
    page.set_viewport_size(WIDE)
    watcher = Watched(page)
    yield watcher
    watcher.check()


def open_app(page, url: str, hash_part: str = "") -> None:
    page.goto(f"{url}/{hash_part}")
    page.wait_for_selector(".tabs button")
    page.wait_for_function("() => document.querySelector('.status').textContent === ''")


def enabled_tabs(page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('.tabs button')].filter(b => !b.disabled).map(b => b.dataset.id)"
    )


def test_every_demo_tab_has_data_and_tabs_switch(watched, demo_url):
    page = watched.page
    open_app(page, demo_url)
    wait_shown(page, "scalars")
    assert enabled_tabs(page) == DEMO_TABS  # the demo writes every kind of summary
    for tab in DEMO_TABS[1:] + ["scalars"]:
        page.click(f'.tabs button[data-id="{tab}"]')
        wait_shown(page, tab)
        assert hash_state(page).startswith(f"#dash={tab}") or f"dash={tab}" in hash_state(page)
        if tab in ("graphs", "histograms", "model_insight"):
            screenshot(page, f"app_tab_{tab}")
    page.wait_for_selector(".insight-run .flag-vanishing", state="attached")  # lr 0.01: conv1
    page.keyboard.press("3")
    wait_shown(page, "histograms")
    page.keyboard.press("1")
    wait_shown(page, "scalars")
    screenshot(page, "app_tabs_switch")


def test_back_forward_and_a_hand_edited_hash(watched, demo_url):
    page = watched.page
    open_app(page, demo_url, "#dash=scalars")
    wait_shown(page, "scalars")
    page.evaluate("window.__sameDocument = true")
    page.click('.tabs button[data-id="histograms"]')
    wait_shown(page, "histograms")
    page.select_option('select[aria-label="Mode"]', "overlay")
    page.click('.tabs button[data-id="graphs"]')
    wait_shown(page, "graphs")
    graph = GraphPage(page)
    graph.wait()
    group = "gradients"
    graph.toggle(group)
    assert group in graph.state()["expanded"]
    page.click('.tabs button[data-id="text"]')
    wait_shown(page, "text")

    page.go_back()
    wait_shown(page, "graphs")
    assert "gexpand=gradients" in hash_state(page)
    page.wait_for_function("g => window.__flowscope_graph.state().expanded.includes(g)", arg=group)
    page.go_back()
    wait_shown(page, "histograms")
    assert "hmode=overlay" in hash_state(page)
    assert page.locator('select[aria-label="Mode"]').input_value() == "overlay"
    page.go_back()
    wait_shown(page, "scalars")
    page.go_forward()
    wait_shown(page, "histograms")

    page.evaluate("location.hash = '#dash=pr_curves'")  # as a person edits the address bar
    wait_shown(page, "pr_curves")
    page.evaluate("location.hash = '#dash=audio'")
    wait_shown(page, "audio")
    page.go_back()
    wait_shown(page, "pr_curves")
    assert page.evaluate("window.__sameDocument") is True  # no reload on the way
    screenshot(page, "app_back_forward")


def test_back_restores_the_state_a_tab_had_then(watched, demo_url):
    page = watched.page
    open_app(page, demo_url, "#dash=histograms")
    wait_shown(page, "histograms")
    mode = page.locator('select[aria-label="Mode"]')
    page.click('.tabs button[data-id="scalars"]')
    wait_shown(page, "scalars")
    page.click('.tabs button[data-id="histograms"]')
    wait_shown(page, "histograms")
    mode.select_option("overlay")
    page.wait_for_function("() => window.flowscopeDebug.histograms()[0].mode === 'overlay'")
    page.go_back()
    wait_shown(page, "scalars")
    page.go_back()  # the histograms as first opened: offset
    wait_shown(page, "histograms")
    page.wait_for_function("() => window.flowscopeDebug.histograms()[0].mode === 'offset'")
    assert mode.input_value() == "offset" and "hmode" not in hash_state(page)
    page.go_forward()
    page.go_forward()
    wait_shown(page, "histograms")
    page.wait_for_function("() => window.flowscopeDebug.histograms()[0].mode === 'overlay'")
    assert mode.input_value() == "overlay"


def test_a_malformed_hash_opens_the_default_tab_with_a_notice(watched, demo_url):
    page = watched.page
    open_app(page, demo_url, "#dash=nope&gexpand=%%%")
    wait_shown(page, "scalars")
    notice = page.locator(".app-notice")
    assert notice.is_visible() and 'no dashboard "nope"' in notice.inner_text()
    assert "dash=scalars" in hash_state(page)
    page.wait_for_selector('.scalar-card[data-draws="1"]')
    screenshot(page, "app_malformed_hash")
    page.click('.tabs button[data-id="histograms"]')
    wait_shown(page, "histograms")
    assert not notice.is_visible()


def test_projector_and_graph_colour_modes_only_with_data(watched, graphs_url, demo_url):
    page = watched.page
    open_app(page, graphs_url, "#dash=graphs&grun=inception")
    wait_shown(page, "graphs")
    assert "projector" not in enabled_tabs(page)  # no embeddings in this logdir
    GraphPage(page).wait()

    def disabled_modes() -> list[str]:
        return page.evaluate(
            "() => [...document.querySelectorAll('select.graph-colour option')].filter(o => o.disabled).map(o => o.value)"
        )

    assert disabled_modes() == ["device", "xla", "compute_time", "memory"]
    page.goto("about:blank")
    open_app(page, graphs_url, "#dash=graphs&grun=tf1_train")
    GraphPage(page).wait()
    assert disabled_modes() == []  # TF1 graph with devices, XLA clusters and RunMetadata
    page.goto("about:blank")
    open_app(page, graphs_url, "#dash=graphs&grun=inception&gcolour=device")  # a stale link
    graph = GraphPage(page)
    page.wait_for_function("() => window.__flowscope_graph.state().colour === 'structure'")
    graph.wait()
    assert page.locator("select.graph-colour").input_value() == "structure"
    page.goto("about:blank")
    open_app(page, demo_url)
    assert "projector" in enabled_tabs(page)


def test_a_missing_logdir_is_explained(watched, tmp_path):
    missing = tmp_path / "does" / "not" / "exist"
    with flowscope_server(str(missing)) as url:
        page = watched.page
        page.goto(f"{url}/")
        notice = page.locator(".app-notice")
        notice.wait_for()
        text = notice.inner_text()
        assert f"No data to show: logdir {missing} does not exist" in text
        assert visible_dashboards(page) == []
        screenshot(page, "app_missing_logdir")


def write_scalar_logdir(logdir: str) -> None:
    """Keras-like tags (each its own group), a learning rate around 1e-3, a metric
    logged at one step, and four epochs."""
    for run, scale in (("train", 1.0), ("validation", 1.2)):
        with SummaryWriter(f"{logdir}/{run}") as writer:
            for epoch in range(4):
                writer.add_scalar("epoch_loss", scale / (epoch + 1), epoch)
                writer.add_scalar("epoch_accuracy", 1 - scale / (epoch + 2), epoch)
                writer.add_scalar("epoch_learning_rate", 0.00095 + epoch * 0.0000333, epoch)
                writer.add_scalar("evaluation_loss_vs_iterations", scale / (epoch + 3), epoch * 100)
            writer.add_scalar("final_score", 0.5 * scale, 0)


def tick_format(label: str) -> tuple[bool, int]:
    """(exponential, decimals) of a tick label."""
    mantissa = label.split("e")[0]
    return ("e" in label, len(mantissa.split(".")[1]) if "." in mantissa else 0)


def test_scalar_cards_fill_the_row_with_consistent_ticks(watched, tmp_path):
    write_scalar_logdir(str(tmp_path))
    with flowscope_server(str(tmp_path)) as url:
        page = watched.page
        open_app(page, url, "#dash=scalars")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.scalar-card')].length === 5 &&"
            " [...document.querySelectorAll('.scalar-card')].every(c => c.dataset.draws)"
        )
        boxes = [card.bounding_box() for card in page.locator(".scalar-card").all()]
        first_row = [box for box in boxes if abs(box["y"] - boxes[0]["y"]) < 2]
        assert len(first_row) >= 3, boxes  # several cards a row in a 1600 px window
        assert all(300 <= box["width"] <= 650 for box in boxes)
        screenshot(page, "app_scalars_grid")

        for tag in ("epoch_loss", "epoch_accuracy", "epoch_learning_rate", "final_score"):
            x_labels, y_labels = ticks(page, f'.scalar-card[data-tag="{tag}"]')
            assert all(re.fullmatch(r"-?\d+", label) for label in x_labels), (tag, x_labels)
            assert len({tick_format(label) for label in y_labels}) == 1, (tag, y_labels)
        _, rates = ticks(page, '.scalar-card[data-tag="epoch_learning_rate"]')
        assert len(set(rates)) == len(rates) >= 3  # distinct, readable labels


def test_histogram_offset_view_labels_real_steps(watched, tmp_path):
    rng = np.random.default_rng(1)
    steps = list(range(0, 101, 10))
    with SummaryWriter(str(tmp_path / "many")) as writer:
        for step in steps:
            writer.add_histogram("weights", rng.normal(step / 50, 1, 500), step)
    with SummaryWriter(str(tmp_path / "single")) as writer:
        writer.add_histogram("weights", rng.normal(0, 1, 500), 7)
    with flowscope_server(str(tmp_path)) as url:
        page = watched.page
        open_app(page, url, "#dash=histograms")
        wait_shown(page, "histograms")
        _, many = ticks(page, '.histogram-card[data-run="many"]')
        assert many and set(many) <= {str(step) for step in steps}, many
        assert "100" in many  # the newest step is always labelled
        values, single = ticks(page, '.histogram-card[data-run="single"]')
        assert single == ["7"]
        assert len({tick_format(label) for label in values}) == 1, values
        screenshot(page, "app_histograms_offset")
