"""Screenshots of every training dashboard, in tests/screenshots/ (git-ignored), for a
person to look at; each is taken once the dashboard says it has drawn."""

from __future__ import annotations

import pytest

from tests.support.pages import SCREENSHOTS, open_dashboard, pixels_vary, until

# (dashboard, logs, extra hash state, theme, drawn when the debug hook says so)
SCREENS = [
    ("scalars", "demo", "", "light", lambda i: i and all(c["draws"] for c in i[:4])),
    ("scalars", "demo", "", "dark", lambda i: i and all(c["draws"] for c in i[:4])),
    ("histograms", "demo", "", "light", lambda i: i and all(c["series"] for c in i[:2])),
    (
        "histograms",
        "demo",
        "hmode=overlay",
        "dark",
        lambda i: i and all(c["series"] for c in i[:2]),
    ),
    ("distributions", "demo", "", "light", lambda i: i and all(c["series"] for c in i[:2])),
    ("images", "tensorboard", "", "light", lambda i: i and all(c["images"] for c in i)),
    ("audio", "tensorboard", "", "light", lambda i: i and all(c["players"] for c in i)),
    ("text", "tensorboard", "", "light", lambda i: i and all(c["text"] for c in i)),
    ("pr_curves", "demo", "", "light", lambda i: i and i[0]["series"]),
    (
        "hparams",
        "tensorboard",
        "session=hp/trial_0&session=hp/trial_1",
        "light",
        lambda i: i["curves"],
    ),
    ("model_insight", "torch", "", "dark", lambda i: i and i[0]["cells"] and i[0]["kernels"]),
    ("projector", "torch", "", "light", lambda i: i["points"]),
]


@pytest.mark.parametrize(
    "dashboard, logs, state, theme, drawn", SCREENS, ids=[f"{s[0]}-{s[3]}" for s in SCREENS]
)
def test_screenshot(
    page, dashboard, logs, state, theme, drawn, demo_url, tensorboard_url, torch_url
):
    url = {"demo": demo_url, "tensorboard": tensorboard_url, "torch": torch_url}[logs]
    page.add_init_script(f"localStorage.setItem('flowscope-theme', '{theme}')")
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_dashboard(page, url, dashboard, state)
    until(page, dashboard, drawn)
    page.wait_for_timeout(300)  # let the last frame paint
    SCREENSHOTS.mkdir(exist_ok=True)
    png = page.screenshot(path=str(SCREENSHOTS / f"dashboard_{dashboard}_{theme}.png"))
    assert pixels_vary(png)
