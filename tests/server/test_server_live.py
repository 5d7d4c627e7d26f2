"""Live reload: points appended to an event file while the server runs appear in its
answers, and the event stream announces the change."""

from __future__ import annotations

import json
import threading
import time

import httpx
from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter

from tests.support.servers import flowscope_server, wait_until


def write_steps(writer: EventFileWriter, steps: range) -> None:
    for step in steps:
        summary = summary_pb2.Summary(
            value=[summary_pb2.Summary.Value(tag="loss", simple_value=1.0 / (step + 1))]
        )
        writer.add_event(event_pb2.Event(wall_time=1000.0 + step, step=step, summary=summary))
    writer.flush()


def test_appended_points_appear_and_are_announced(tmp_path):
    writer = EventFileWriter(str(tmp_path / "train"))
    write_steps(writer, range(5))
    with flowscope_server(str(tmp_path), reload_interval=0.2) as url:
        path = f"{url}/data/plugin/scalars/scalars?run=train&tag=loss"
        assert [row[1] for row in httpx.get(path).json()] == list(range(5))
        notices: list[dict] = []
        connected = threading.Event()

        def listen() -> None:
            with httpx.stream("GET", f"{url}/api/events", timeout=30) as response:
                assert response.headers["content-type"].startswith("text/event-stream")
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        notices.append(json.loads(line[len("data: ") :]))
                        connected.set()
                        if "train" in notices[-1]["runs"]:
                            return

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        assert connected.wait(10), "no first event on the stream"
        write_steps(writer, range(5, 12))
        wait_until(lambda: httpx.get(path).json()[-1][1] == 11, 10, "the new points")
        listener.join(10)
        assert not listener.is_alive(), f"the stream never announced run 'train': {notices}"
        assert notices[0]["runs"] == [] and notices[-1]["generation"] >= notices[0]["generation"]
        assert len(httpx.get(f"{url}/api/scalars?run=train&tag=loss").json()["step"]) == 12

        (tmp_path / "late").mkdir()
        late = EventFileWriter(str(tmp_path / "late"))
        write_steps(late, range(3))
        wait_until(lambda: "late" in httpx.get(f"{url}/data/runs").json(), 10, "a new run")
        late.close()
    writer.close()


def test_first_requests_are_answered_while_loading(tmp_path):
    writer = EventFileWriter(str(tmp_path / "run"))
    write_steps(writer, range(3))
    writer.close()
    started = time.monotonic()
    with flowscope_server(str(tmp_path)) as url:
        status = httpx.get(f"{url}/api/status").json()
        assert status["loading"] is False and status["runs"] == 1
    assert time.monotonic() - started < 30
