"""The Scalars dashboard in headless Chromium: what each card draws (a raw and a smoothed
line per selected run, TensorBoard's smoothing over every point), and the interactions:
run and tag filters, axes, outliers, tooltips, pins, full screen, downloads, zoom, live points."""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import httpx
import numpy as np
import pytest

from flowscope.io.writer import SummaryWriter
from tests.support.pages import debug, open_dashboard
from tests.support.servers import flowscope_server

DEMO_RUNS = ["lr_0.1", "lr_0.03", "lr_0.01"]


def card(page, tag: str, pinned: bool = False) -> dict:
    cards = [c for c in debug(page, "scalars") if c["tag"] == tag and c["pinned"] == pinned]
    assert cards, f"no card for {tag}"
    return cards[0]


def wait_drawn(page, tag: str, runs: int | None = None, draws: int = 1) -> None:
    """Waits until the card of ``tag`` drew at least ``draws`` times (with ``runs`` runs)."""
    selector = f'.scalar-card[data-tag="{tag}"]'
    page.locator(selector).first.scroll_into_view_if_needed()
    condition = f"Number(c.dataset.draws || 0) >= {draws}"
    if runs is not None:
        condition += f" && Number(c.dataset.runs) === {runs}"
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{selector}')].some((c) => {condition})"
    )


def until(page, tag: str, predicate, timeout: float = 15.0) -> dict:
    """Polls the card of ``tag`` until ``predicate(card)`` holds; returns the card."""
    deadline = time.monotonic() + timeout
    while True:
        found = [c for c in debug(page, "scalars") if c["tag"] == tag and not c["pinned"]]
        if found and found[0]["draws"] and predicate(found[0]):
            return found[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"card {tag} never satisfied the condition: {found[:1]}")
        time.sleep(0.1)


def tensorboard_smoothing(values: list[float], weight: float) -> list[float]:
    """The debiased EMA as TensorBoard documents it, written independently for the test."""
    finite = [v for v in values if math.isfinite(v)]
    if weight <= 0 or len(set(finite)) <= 1:
        return list(values)
    out, last, count = [], 0.0, 0
    for v in values:
        if not math.isfinite(v):
            out.append(v)
            continue
        last = last * weight + (1 - weight) * v
        count += 1
        out.append(last / (1 - weight**count))
    return out


def test_cards_draw_every_run_raw_and_smoothed(page, demo_url):
    open_dashboard(page, demo_url, "scalars")
    wait_drawn(page, "train/loss", runs=3)
    loss = card(page, "train/loss")
    assert [line["run"] for line in loss["lines"]] == DEMO_RUNS
    assert loss["uplotSeries"] == 2 * len(DEMO_RUNS)  # a faint raw and a smoothed line per run
    for line in loss["lines"]:
        assert line["points"] == 300  # every point, not a sample
        assert line["smoothed"] != line["raw"]
        expected = tensorboard_smoothing(line["raw"], 0.6)
        assert line["smoothed"] == pytest.approx(expected, rel=1e-9)
    groups = page.eval_on_selector_all("section.group", "els => els.map(e => e.dataset.group)")
    assert {"train", "eval", "learning_rate"} <= set(groups)
    assert page.locator('section.group[data-group="train"] .scalar-card').count() == 2


def test_smoothing_setting_and_run_selection(page, demo_url):
    open_dashboard(page, demo_url, "scalars", "smoothing=0")
    wait_drawn(page, "train/loss", runs=3)
    loss = card(page, "train/loss")
    assert loss["uplotSeries"] == 3 and loss["lines"][0]["smoothed"] == loss["lines"][0]["raw"]
    page.fill('input[aria-label="Smoothing value"]', "0.9")
    page.dispatch_event('input[aria-label="Smoothing value"]', "change")
    page.wait_for_function("() => location.hash.includes('smoothing=0.9')")
    # filling the sticky toolbar's input scrolls the page; the demo's scalars fill more than it
    page.locator('.scalar-card[data-tag="train/loss"]').first.scroll_into_view_if_needed()
    loss = until(page, "train/loss", lambda c: c["uplotSeries"] == 6)
    line = loss["lines"][0]
    assert line["smoothed"] == pytest.approx(tensorboard_smoothing(line["raw"], 0.9), rel=1e-9)
    page.get_by_role("checkbox", name="lr_0.03", exact=True).uncheck()
    loss = until(page, "train/loss", lambda c: len(c["lines"]) == 2)
    assert [line["run"] for line in loss["lines"]] == ["lr_0.1", "lr_0.01"]
    assert loss["uplotSeries"] == 4


def test_tag_filter_pins_and_state_in_the_hash(page, demo_url):
    open_dashboard(page, demo_url, "scalars")
    page.fill(".dash-toolbar .tag-filter", "/accuracy$")
    page.wait_for_function("() => document.querySelectorAll('.scalar-card').length === 2")
    assert sorted(c["tag"] for c in debug(page, "scalars")) == ["eval/accuracy", "train/accuracy"]
    page.locator(
        '.scalar-card[data-tag="eval/accuracy"] button[aria-label="Pin to the top"]'
    ).click()
    page.wait_for_selector('section.group.pinned .scalar-card[data-tag="eval/accuracy"]')
    assert "pin=eval%2Faccuracy" in page.evaluate("location.hash")
    wait_drawn(page, "eval/accuracy", runs=3)
    page.reload()  # the hash brings back the filter and the pin
    page.wait_for_selector('section.group.pinned .scalar-card[data-tag="eval/accuracy"]')
    assert page.input_value(".dash-toolbar .tag-filter") == "/accuracy$"
    page.fill(".dash-toolbar .tag-filter", "(")
    page.wait_for_selector(".tag-filter.invalid")


def test_axes_log_scale_and_outliers(page, tmp_path):
    with SummaryWriter(tmp_path / "spiky") as writer:
        for step in range(200):
            value = 100.0 if step in (50, 120) else 1.0 + step / 100
            writer.add_scalar("loss", value, step, walltime=1_000_000 + 3 * step)
    with flowscope_server(str(tmp_path)) as url:
        open_dashboard(page, url, "scalars", "smoothing=0")
        wait_drawn(page, "loss")
        assert until(page, "loss", lambda c: True)["y"][1] > 100
        page.check("text=Ignore outliers")
        low, high = until(page, "loss", lambda c: c["y"][1] < 50)["y"]
        assert high < 5 and low < 1.2  # fitted to the 5th-95th percentile
        page.select_option('select[aria-label="X axis"]', "relative")
        until(page, "loss", lambda c: c["lines"][0]["x"][:3] == [0, 3, 6])
        page.select_option('select[aria-label="X axis"]', "wall")
        until(page, "loss", lambda c: c["lines"][0]["x"][1] == 1_000_003)
        page.check("text=Log y")
        assert until(page, "loss", lambda c: c["y"][0] > 0)["y"][1] < 5
        assert "ylog=1" in page.evaluate("location.hash") and "x=wall" in page.evaluate(
            "location.hash"
        )


def test_tooltip_lists_every_run_sorted(page, demo_url):
    columns_requests: list[str] = []
    page.context.on(
        "request", lambda r: "/api/scalars/columns" in r.url and columns_requests.append(r.url)
    )
    open_dashboard(page, demo_url, "scalars", "sort=descending")
    wait_drawn(page, "train/accuracy", runs=3)
    assert columns_requests and all("columns=value&" in url for url in columns_requests)
    box = page.locator('.scalar-card[data-tag="train/accuracy"] .u-over').bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
    tooltip = page.locator('.scalar-card[data-tag="train/accuracy"] .chart-tooltip')
    tooltip.wait_for(state="visible")
    # Cells are read by their text, not the rows' innerText: that has no tabs between
    # cells whenever the tooltip is re-rendered hidden (as when wall times arrive).
    rows = tooltip.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.cells].map(cell => cell.textContent))"
    )
    assert len(rows) == 3
    smoothed = [float(row[2]) for row in rows]
    assert smoothed == sorted(smoothed, reverse=True)
    assert rows[0][1] == "lr_0.1"  # the fastest learner is on top
    # The first draw along steps fetched no wall times; coming over the chart does.
    page.wait_for_function(
        """() => [...document.querySelectorAll(
            '.scalar-card[data-tag="train/accuracy"] .chart-tooltip tbody td:nth-child(n+6)'
        )].every((cell) => cell.textContent && cell.textContent !== '…')"""
    )
    assert any("columns=wall_time&" in url for url in columns_requests)


def test_zoom_full_screen_and_download(page, demo_url):
    open_dashboard(page, demo_url, "scalars")
    wait_drawn(page, "train/loss", runs=3)
    selector = '.scalar-card[data-tag="train/loss"]'
    box = page.locator(f"{selector} .u-over").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + 40, steps=5)
    page.mouse.up()
    page.wait_for_function(
        "() => window.flowscopeDebug.scalars().find(c => c.tag === 'train/loss').x[1] < 200"
    )
    x0, x1 = card(page, "train/loss")["x"]
    assert 40 < x0 < x1 < 160
    page.dblclick(f"{selector} .u-over")
    page.wait_for_function(
        "() => window.flowscopeDebug.scalars().find(c => c.tag === 'train/loss').x[1] === 299"
    )

    small = page.locator(f"{selector} .plot").bounding_box()
    page.locator(f'{selector} button[aria-label^="Full screen"]').click()
    page.wait_for_selector(f"{selector}.card-fullscreen")
    page.wait_for_function(
        f"() => document.querySelector('{selector} canvas').width > {small['width'] * 1.5}"
    )
    page.keyboard.press("Escape")
    page.wait_for_selector(f"{selector}:not(.card-fullscreen)")

    with page.expect_download() as download:
        page.locator(f'{selector} button[aria-label="Download CSV"]').click()
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[0] == "run,step,wall_time,value" and len(lines) == 1 + 3 * 300
    run, step, wall_time, value = lines[1].split(",")
    rows = httpx.get(
        f"{demo_url}/data/plugin/scalars/scalars", params={"run": run, "tag": "train/loss"}
    ).json()
    assert [float(wall_time), int(step)] == rows[0][:2]  # exact, as stored
    assert np.float32(value) == np.float32(rows[0][2])
    with page.expect_download() as download:
        page.locator(f'{selector} button[aria-label="Download JSON"]').click()
    body = json.loads(Path(download.value.path()).read_text())
    assert sorted(body) == sorted(DEMO_RUNS) and len(body["lr_0.1"]) == 300


def test_new_points_appear_live(page, tmp_path):
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    writer = EventFileWriter(str(tmp_path / "job"))

    def write(steps: range) -> None:
        for step in steps:
            value = summary_pb2.Summary.Value(tag="loss", simple_value=1.0 / (step + 1))
            writer.add_event(
                event_pb2.Event(
                    wall_time=1000.0 + step, step=step, summary=summary_pb2.Summary(value=[value])
                )
            )
        writer.flush()

    write(range(10))
    with flowscope_server(str(tmp_path), reload_interval=0.2) as url:
        open_dashboard(page, url, "scalars")
        wait_drawn(page, "loss")
        assert card(page, "loss")["lines"][0]["points"] == 10
        write(range(10, 25))
        page.wait_for_function(
            "() => window.flowscopeDebug.scalars().some(c => c.tag === 'loss' && c.lines[0].points === 25)",
            timeout=20_000,
        )
    writer.close()


@pytest.mark.parametrize("logs", ["tensorboard", "torch"])
def test_other_writers(page, logs, tensorboard_url, torch_url):
    url = tensorboard_url if logs == "tensorboard" else torch_url
    open_dashboard(page, url, "scalars")
    if logs == "tensorboard":
        wait_drawn(page, "loss", runs=4)  # tb and the three hp/trial_*/eval runs
        loss = card(page, "loss")
        raw = loss["lines"][0]["raw"]
        assert loss["lines"][0]["run"] == "tb"
        assert len(raw) == 32 and math.isnan(raw[-2]) and raw[-1] == math.inf  # drawn as gaps
        assert loss["y"][0] < 0.1 and loss["y"][1] > 0.9  # the range ignores NaN and infinity
        wait_drawn(page, "accuracy", runs=4)  # tb and the three hp/trial_* runs
    else:
        wait_drawn(page, "train/loss", runs=2)
        lines = card(page, "train/loss")["lines"]
        assert [line["run"] for line in lines] == ["torch_lr0.05", "torch_lr0.2"]
        assert all(line["points"] == 200 for line in lines)
        assert card(page, "train/loss")["uplotSeries"] == 4


@pytest.mark.slow
def test_large_card_draws_and_zooms_quickly(page, tmp_path):
    """100,000 points in each of 10 runs: the card draws, and a zoom redraws, fast."""
    from flowscope.io.records import frame
    from flowscope.proto.event_pb2 import Event

    rng = np.random.default_rng(0)
    event = Event(wall_time=1.0, file_version="brain.Event:2")
    records = [frame(event.SerializeToString())]
    value = event.summary.value.add(tag="loss")
    event.ClearField("file_version")
    curve = np.exp(-np.arange(100_000) / 30_000) + rng.normal(0, 0.02, 100_000)
    for step in range(100_000):
        event.step, event.wall_time = step, 1.0 + step
        value.simple_value = curve[step]
        records.append(frame(event.SerializeToString()))
    data = b"".join(records)
    for run in range(10):  # the same points under ten run names
        os.makedirs(tmp_path / f"run{run}")
        (tmp_path / f"run{run}" / "events.out.tfevents.1.bench").write_bytes(data)
    with flowscope_server(str(tmp_path)) as url:
        open_dashboard(page, url, "scalars")
        wait_drawn(page, "loss", runs=10)
        assert all(line["points"] == 100_000 for line in card(page, "loss")["lines"])
        box = page.locator(".scalar-card .u-over").bounding_box()
        started = time.perf_counter()
        page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + 20)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + 30, steps=3)
        page.mouse.up()
        page.wait_for_function("() => window.flowscopeDebug.scalars()[0].x[1] < 90000")
        assert time.perf_counter() - started < 3
        timing = page.evaluate(
            """() => new Promise((resolve) => {
                const frames = [];
                let last = performance.now();
                const over = document.querySelector('.scalar-card .u-over');
                const box = over.getBoundingClientRect();
                let i = 0;
                const tick = () => {
                    const now = performance.now();
                    frames.push(now - last);
                    last = now;
                    over.dispatchEvent(new MouseEvent('mousemove', {clientX: box.left + 10 + (i * 7) % (box.width - 20), clientY: box.top + 50, bubbles: true}));
                    if (++i < 30) requestAnimationFrame(tick); else resolve(frames.slice(2));
                };
                requestAnimationFrame(tick);
            })"""
        )
        assert sorted(timing)[len(timing) // 2] < 100, timing  # hovering keeps a usable frame rate
