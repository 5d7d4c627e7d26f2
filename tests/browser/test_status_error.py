"""The app's top bar says why the logdir cannot be listed, and clears once it can."""

from __future__ import annotations

import flowscope
from tests.support.servers import flowscope_server


def test_the_status_shows_the_logdir_error_until_it_is_fixed(page, tmp_path):
    logdir = tmp_path / "not-yet"
    with flowscope_server(str(logdir), reload_interval=0.2) as url:
        page.goto(url)
        status = page.locator(".status.error")
        status.wait_for()
        assert status.inner_text() == f"logdir {logdir} does not exist (yet)"
        with flowscope.SummaryWriter(logdir / "train") as writer:
            writer.add_scalar("loss", 1.0, 0)
        page.wait_for_selector(".status:not(.error)", state="attached")
        assert page.locator(".status").text_content() == ""
        page.locator(".run-list", has_text="train").wait_for()
