"""Regular expressions from requests cost a bounded time: a catastrophic pattern gets a
400 ("too slow") within seconds, and the server answers other requests meanwhile. The
server runs in its own process, so that a hang fails the test instead of stopping it."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import regex

from flowscope.data.frames import select_names
from flowscope.data.logdir import Logdir
from flowscope.data.patterns import Matcher, PatternError, PatternTooSlow, compile_pattern
from flowscope.io.writer import SummaryWriter
from flowscope.proto.graph_pb2 import GraphDef
from tests.support.cli_server import cli_server

VICTIM = "a" * 60 + "_"
CATASTROPHIC = "(a|aa)+$"  # exponential in `re` and in `regex` alike
ANSWER_SECONDS = 10


def write_logdir(root: str) -> None:
    graph = GraphDef()
    graph.node.add(name="input", op="Placeholder")
    graph.node.add(name=VICTIM, op="Relu", input=["input"])
    with SummaryWriter(f"{root}/train") as writer:
        writer.add_graph(graph)
        writer.add_scalar("loss", 0.5, 1)
    with SummaryWriter(f"{root}/sweep") as writer:
        writer.add_hparams({"name": VICTIM}, {"metric": 1.0}, run_name=".")


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("patterns")
    write_logdir(str(root))
    with cli_server(str(root)) as (base, _):
        yield base


def answered_meanwhile(url: str, slow: dict) -> tuple[httpx.Response, float, list[float]]:
    """``slow`` (httpx.request arguments) sent while ``/api/status`` is polled: its
    answer, its time, and the time of each poll made meanwhile."""
    result: dict = {}

    def send() -> None:
        start = time.monotonic()
        result["response"] = httpx.request(**slow, timeout=ANSWER_SECONDS * 3)
        result["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=send)
    thread.start()
    polls = []
    time.sleep(0.2)
    while thread.is_alive() and len(polls) < 20:
        start = time.monotonic()
        assert httpx.get(f"{url}/api/status", timeout=5).status_code == 200
        polls.append(time.monotonic() - start)
    thread.join()
    return result["response"], result["seconds"], polls


def test_a_catastrophic_graph_search_is_refused_and_others_are_answered(url):
    search = {"method": "GET", "url": f"{url}/api/graph/search"}
    response, seconds, polls = answered_meanwhile(
        url, {**search, "params": {"run": "train", "q": CATASTROPHIC}}
    )
    assert response.status_code == 400 and "too slow" in response.json()["error"]
    assert seconds < ANSWER_SECONDS
    assert polls and max(polls) < 1.0
    found = httpx.get(search["url"], params={"run": "train", "q": "(a+)+$"}, timeout=10)
    assert found.status_code == 200
    hit = httpx.get(search["url"], params={"run": "train", "q": "A+_$"}, timeout=10).json()
    assert [h["name"] for h in hit["hits"]] == [VICTIM]


def test_a_catastrophic_hparams_filter_is_refused(url):
    body = {
        "experimentName": "",
        "colParams": [{"hparam": "name", "filterRegexp": CATASTROPHIC}],
        "startIndex": 0,
        "sliceSize": 10,
    }
    response, seconds, polls = answered_meanwhile(
        url,
        {"method": "POST", "url": f"{url}/data/plugin/hparams/session_groups", "json": body},
    )
    assert response.status_code == 400 and "too slow" in response.json()["error"]
    assert seconds < ANSWER_SECONDS and polls and max(polls) < 1.0
    body["colParams"][0]["filterRegexp"] = "^a+_$"
    groups = httpx.post(f"{url}/data/plugin/hparams/session_groups", json=body).json()
    assert groups["totalSize"] == 1


def test_the_python_api_bounds_patterns_compiled_with_regex(tmp_path):
    write_logdir(str(tmp_path))
    logdir = Logdir(str(tmp_path))
    assert set(logdir.scalars(run=regex.compile("tra"))["run"]) == {"train"}
    assert set(logdir.scalars(run=re.compile("tra"))["run"]) == {"train"}
    start = time.monotonic()
    with pytest.raises(PatternTooSlow):
        select_names(["x", VICTIM], regex.compile(CATASTROPHIC))
    assert time.monotonic() - start < ANSWER_SECONDS


def test_patterns_are_compiled_with_limits():
    with pytest.raises(PatternError, match="limited"):
        compile_pattern("a" * 5000)
    with pytest.raises(PatternError, match="bad pattern"):
        compile_pattern("(")
    assert compile_pattern("(", literal_fallback=True).search("f(x)")
    assert compile_pattern("ABC", ignore_case=True).search("xabcx")


def test_the_budget_counts_matching_not_waiting():
    """On a busy server a search thread waits for the GIL between names; the time it
    waits does not count against its budget."""
    matcher = Matcher(compile_pattern("conv"), seconds=0.2)
    time.sleep(0.3)
    assert matcher.search("block/conv2d") and not matcher.search("block/relu")
    with pytest.raises(PatternTooSlow):
        Matcher(compile_pattern(CATASTROPHIC), seconds=0.2).search(VICTIM)
