"""Replays the corpus: inputs that once broke flowscope (from the issue and from the
fuzzer), kept as regression files. An event file is served as a run next to a valid
one and every route is asked about it; a request is sent to the served site."""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.fuzz.conftest import CORPUS
from tests.fuzz.fuzz_server import (
    EVENT_FILE,
    RssBound,
    assert_valid_run_served,
    check_answer,
    every_request_of,
    plant_canary,
    serve,
    write_valid_run,
)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.tfevents")), ids=lambda p: p.stem)
def test_event_file_of_the_corpus(path, caplog):
    with tempfile.TemporaryDirectory() as folder:
        logdir, escapes = plant_canary(Path(folder))
        (logdir / "corpus").mkdir()
        shutil.copy(path, logdir / "corpus" / EVENT_FILE)
        write_valid_run(logdir)
        with RssBound(), serve(logdir, escapes) as site:
            for method, route, query, body in every_request_of(site):
                check_answer(site, method, route, query, body, caplog)
            assert_valid_run_served(site)
            scalars = site.client.get("/data/plugin/scalars/scalars", params={"run": "corpus", "tag": "loss"})
            assert [row[1] for row in scalars.json()] == [0, 9], "a point around the bad one was lost"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.request.json")), ids=lambda p: p.name.split(".")[0])
def test_request_of_the_corpus(site, path, caplog):
    request = json.loads(path.read_text())
    body = base64.b64decode(request["body_base64"])
    check_answer(site, request["method"], request["path"], request["query"], body, caplog)
