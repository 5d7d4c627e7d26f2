"""Every route of the server on fuzzed logdirs and with random requests: no 5xx, no
exception escapes, nothing from outside the logdir, bounded memory, and the valid
run next to the broken ones still fully served."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_inputs import examples, frame, fuzzed_logdirs, request_bodies
from fuzz_server import RssBound, Site, check_answer, every_request_of, plant_canary, requests, serve
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_reader import FILE, scalar

from flowscope.cli.demo import write_demo

CORPUS = Path(__file__).parent / "corpus"

VALID_STEPS = list(range(5))


def write_valid_run(logdir: Path) -> None:
    (logdir / "valid").mkdir(parents=True, exist_ok=True)
    (logdir / "valid" / FILE).write_bytes(b"".join(frame(scalar(s, "loss")) for s in VALID_STEPS))


def assert_valid_run_served(site: Site) -> None:
    rows = site.client.get("/data/plugin/scalars/scalars", params={"run": "valid", "tag": "loss"}).json()
    assert [row[1] for row in rows] == VALID_STEPS


@examples(12)
@given(data=st.data())
def test_every_route_on_a_fuzzed_logdir(data, caplog):
    with tempfile.TemporaryDirectory() as folder:
        logdir, escapes = plant_canary(Path(folder))
        data.draw(fuzzed_logdirs(escapes)).write(logdir)
        write_valid_run(logdir)
        with RssBound(), serve(logdir, escapes) as site:
            for method, path, query, body in every_request_of(site):
                check_answer(site, method, path, query, body, caplog)
            assert_valid_run_served(site)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """The demo logdir (every kind of data, written by flowscope's writer), the corpus
    of inputs that once broke flowscope as runs, and projector configs that point
    outside the logdir."""
    folder = Path(tempfile.mkdtemp())
    try:
        logdir, escapes = plant_canary(folder)
        write_demo(str(logdir))
        for path in CORPUS.glob("*.tfevents"):
            (logdir / path.stem).mkdir()
            shutil.copy(path, logdir / path.stem / FILE)
        write_valid_run(logdir)
        for index, escape in enumerate(escapes):
            config = f'embeddings {{ tensor_name: "e{index}" tensor_path: "{escape}" metadata_path: "{escape}" sprite {{ image_path: "{escape}" }} }}'
            (logdir / "valid" / f"e{index}").mkdir()
            (logdir / "valid" / f"e{index}" / "projector_config.pbtxt").write_text(config)
        (logdir / "valid" / "projector_config.pbtxt").write_text(config)
        with serve(logdir, escapes) as served:
            yield served
    finally:
        shutil.rmtree(folder)


@examples(400)
@given(data=st.data())
def test_random_requests_on_every_route(site, data, caplog):
    method, path, query, body = data.draw(requests(site, request_bodies()))
    check_answer(site, method, path, query, body, caplog)
