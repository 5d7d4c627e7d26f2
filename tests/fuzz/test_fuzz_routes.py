"""Every route of the server on fuzzed logdirs and with random requests: no 5xx, no
exception escapes, nothing from outside the logdir, bounded memory, and the valid
run next to the broken ones still fully served."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.fuzz_inputs import examples, fuzzed_logdirs, request_bodies
from tests.fuzz.fuzz_server import (
    RssBound,
    assert_valid_run_served,
    check_answer,
    every_request_of,
    plant_canary,
    requests,
    serve,
    write_valid_run,
)


@examples(10)
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


def test_every_route_on_the_site(site, caplog):
    for method, path, query, body in every_request_of(site):
        check_answer(site, method, path, query, body, caplog)
    assert_valid_run_served(site)


@examples(300)
@given(data=st.data())
def test_random_requests_on_every_route(site, data, caplog):
    method, path, query, body = data.draw(requests(site, request_bodies()))
    check_answer(site, method, path, query, body, caplog)
