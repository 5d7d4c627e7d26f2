"""Histograms, Distributions, Images, Audio, Text, PR curves, HParams, Model insight and
Projector in headless Chromium, on logs of flowscope's demo, tensorboard's own writer
and torch.utils.tensorboard: what each draws, and its interactions."""

from __future__ import annotations

from tests.support.pages import open_dashboard, until

DEMO_RUNS = ["lr_0.1", "lr_0.03", "lr_0.01"]


def cards_of(info, tag: str) -> list[dict]:
    return [card for card in info if card["tag"] == tag]


def test_histograms_offset_and_overlay(page, demo_url):
    open_dashboard(page, demo_url, "histograms")
    page.locator('.histogram-card[data-tag="weights/dense"]').last.scroll_into_view_if_needed()
    info = until(
        page,
        "histograms",
        lambda i: (
            all(c["series"] for c in cards_of(i, "weights/dense")) and cards_of(i, "weights/dense")
        ),
    )
    dense = cards_of(info, "weights/dense")
    assert [c["run"] for c in dense] == DEMO_RUNS
    assert all(
        c["series"] == 10 and c["mode"] == "offset" for c in dense
    )  # a curve per step (every 30 of 300)
    page.select_option('select[aria-label="Mode"]', "overlay")
    until(page, "histograms", lambda i: i[0]["mode"] == "overlay")
    assert "hmode=overlay" in page.evaluate("location.hash")
    box = page.locator('.histogram-card[data-tag="weights/dense"] .u-over').first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    readout = page.locator('.histogram-card[data-tag="weights/dense"] .card-readout').first
    page.wait_for_function(
        "el => el.textContent.includes('step 270')", arg=readout.element_handle()
    )


def test_distributions_bands(page, tensorboard_url):
    open_dashboard(page, tensorboard_url, "distributions")
    info = until(page, "distributions", lambda i: len(i) == 2 and all(c["series"] for c in i))
    assert sorted(c["tag"] for c in info) == ["old_histo", "weights"]
    assert all(c["series"] == 9 and c["bands"] == 4 for c in info)  # 9 basis points, 4 bands


def test_images_slider_brightness_and_actual_size(page, tensorboard_url):
    open_dashboard(page, tensorboard_url, "images")
    info = until(page, "images", lambda i: len(i) == 2 and all(c["images"] for c in i))
    samples = cards_of(info, "samples")[0]
    assert samples["step"] == 20 and samples["images"] == 1  # step 20 has one image of two
    slider = page.locator('.image-card[data-tag="samples"] input[type="range"]')
    slider.fill("0")
    until(
        page,
        "images",
        lambda i: (
            cards_of(i, "samples")[0]["step"] == 0 and cards_of(i, "samples")[0]["images"] == 2
        ),
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('.image-card[data-tag=\"samples\"] img')].every(i => i.naturalWidth === 8)"
    )
    page.fill('input[aria-label="Brightness value"]', "1.5")
    page.dispatch_event('input[aria-label="Brightness value"]', "change")
    sample = '.image-card[data-tag="samples"] img'
    image_filter = page.eval_on_selector(sample, "img => getComputedStyle(img).filter")
    assert "brightness(1.5)" in image_filter
    assert (
        page.eval_on_selector(sample, "img => img.getBoundingClientRect().width") > 8
    )  # scaled up
    page.check("text=Actual size")
    assert page.eval_on_selector(sample, "img => img.getBoundingClientRect().width") == 8
    assert "actual=1" in page.evaluate("location.hash")


def test_audio_players_labels_and_steps(page, tensorboard_url):
    open_dashboard(page, tensorboard_url, "audio")
    info = until(page, "audio", lambda i: i and i[0]["players"] == 2)
    assert info[0]["labels"] == ["low", "high"] and info[0]["step"] == 20
    page.locator('.audio-card input[type="range"]').fill("0")
    until(page, "audio", lambda i: i[0]["step"] == 0)
    sources = page.eval_on_selector_all(".audio-card audio", "els => els.map(e => e.src)")
    assert all("individualAudio" in src for src in sources)


def test_text_markdown_and_tables(page, tensorboard_url):
    open_dashboard(page, tensorboard_url, "text")
    info = until(page, "text", lambda i: len(i) == 4 and all(c["text"] for c in i))
    notes = cards_of(info, "notes")[0]
    assert (
        notes["step"] == 2 and "Some markdown with a link" in notes["text"] and notes["tables"] == 1
    )
    assert cards_of(info, "vector")[0]["tables"] == 1 and cards_of(info, "table")[0]["tables"] == 1
    assert "only 2d tables are supported" in cards_of(info, "cube")[0]["text"]
    page.locator('.text-card[data-tag="notes"] input[type="range"]').fill("0")
    until(
        page,
        "text",
        lambda i: (
            cards_of(i, "notes")[0]["step"] == 0 and "step 0" in cards_of(i, "notes")[0]["text"]
        ),
    )
    assert page.locator(".text-card[data-tag='notes'] a[href='https://example.com']").count() == 1
    assert page.locator(".text-body script").count() == 0


def test_pr_curves_steps_and_threshold_readout(page, demo_url):
    open_dashboard(page, demo_url, "pr_curves")
    info = until(page, "pr_curves", lambda i: i and i[0]["series"] == 3)
    assert [r["run"] for r in info[0]["runs"]] == DEMO_RUNS
    assert all(r["step"] == 200 and r["points"] > 10 for r in info[0]["runs"])
    page.locator(".pr-card .run-slider").first.locator("input").fill("0")
    until(
        page, "pr_curves", lambda i: i[0]["runs"][0]["step"] == 0 and i[0]["runs"][1]["step"] == 200
    )
    box = page.locator(".pr-card .u-over").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.3)
    page.wait_for_selector(".pr-card .readout-table tbody tr")
    rows = page.locator(".pr-card .readout-table tbody tr").all_inner_texts()
    assert len(rows) == 3
    threshold, precision, recall = (float(v) for v in rows[0].split("\t")[2:5])
    assert 0 <= threshold <= 1 and 0 <= precision <= 1 and abs(recall - 0.5) < 0.2


def test_hparams_table_charts_and_session_curves(page, tensorboard_url):
    open_dashboard(page, tensorboard_url, "hparams")
    info = until(page, "hparams", lambda i: len(i["rows"]) == 3)
    assert info["columns"] == ["lr", "optimizer", "Accuracy", "eval/loss"]
    assert info["scatterPlots"] == 4 and info["parallelLines"] == 3
    page.locator(".session-table th", has_text="Accuracy").click()
    page.locator(".session-table th", has_text="Accuracy").click()  # descending
    info = until(page, "hparams", lambda i: i["rows"][0] == "hp/trial_0")
    assert info["rows"] == ["hp/trial_0", "hp/trial_2", "hp/trial_1"]  # 0.9, 0.8, 0.7
    page.fill('input[data-key="h:optimizer"]', "adam")
    page.dispatch_event('input[data-key="h:optimizer"]', "change")
    until(page, "hparams", lambda i: i["rows"] == ["hp/trial_0", "hp/trial_2"])
    page.locator('.session-table tr[data-session="hp/trial_2"]').click()
    info = until(
        page, "hparams", lambda i: i["curves"] and all(c["runs"] == 1 for c in i["curves"])
    )
    assert info["selected"] == ["hp/trial_2"]
    assert [c["tag"] for c in info["curves"]] == ["accuracy", "loss"]
    assert "session=hp%2Ftrial_2" in page.evaluate("location.hash")
    assert (
        page.locator(".echart.parallel canvas").count() >= 1
        and page.locator(".echart.scatter canvas").count() >= 1
    )


def test_hparams_from_torch(page, torch_url):
    open_dashboard(page, torch_url, "hparams")
    info = until(page, "hparams", lambda i: len(i["rows"]) == 2)
    assert info["columns"][:2] == ["layers", "lr"] and "hparam/accuracy" in info["columns"]


def test_model_insight_heatmap_flags_and_kernels(page, torch_url):
    open_dashboard(page, torch_url, "model_insight")
    info = until(page, "model_insight", lambda i: i and i[0]["cells"] and i[0]["kernels"])
    run = info[0]
    assert run["layers"] == ["0.weight", "0.bias", "3.weight", "3.bias"] and run["steps"] == 10
    assert run["cells"] == 40 and run["flags"] == []
    page.fill('input[aria-label="Exploding above"]', "0.01")
    page.dispatch_event('input[aria-label="Exploding above"]', "change")
    run = until(page, "model_insight", lambda i: i[0]["flags"])[0]
    assert {f["kind"] for f in run["flags"]} == {"exploding"}
    assert page.locator(".flag-exploding").inner_text().startswith("▲ 4 layers")
    assert "explode=0.01" in page.evaluate("location.hash")


def test_projector_pca_search_and_tsne(page, torch_url):
    open_dashboard(page, torch_url, "projector")
    info = until(page, "projector", lambda i: i["points"] == 60 and i["method"] == "pca")
    assert info["dims"] == 3 and info["colors"] == 3 and len(info["variance"]) == 3
    assert info["sprites"] == 60  # a thumbnail per point, cut from the sprite sheet
    page.fill('input[aria-label="Search labels"]', "class 1")
    assert until(page, "projector", lambda i: i["matches"] == 20)["matches"] == 20
    page.select_option('select[aria-label="Dimensions"]', "2")
    page.select_option('select[aria-label="Projection"]', "tsne")
    info = until(
        page,
        "projector",
        lambda i: i["method"] == "tsne" and i["progress"]["done"] == i["progress"]["total"] == 500,
        timeout=60,
    )
    assert info["dims"] == 2 and info["points"] == 60
    assert "proj=tsne" in page.evaluate("location.hash")
    page.select_option('select[aria-label="Projection"]', "umap")
    until(
        page,
        "projector",
        lambda i: (
            i["method"] == "umap"
            and i["progress"]["total"] > 1
            and i["progress"]["done"] == i["progress"]["total"]
        ),
        timeout=60,
    )
