"""Objects on S3 that change between reloads (a moto server, reached through
AWS_ENDPOINT_URL): an object re-uploaded larger is read on from where the last read
stopped; one re-created smaller is read again from the start."""

from __future__ import annotations

import logging

import flowscope
from tests.support.event_bytes import growing_file, scalar_file

KEY = "logs/run/events.out.tfevents.1.host"


def test_an_object_reuploaded_larger_is_read_on_from_the_last_offset(s3, caplog):
    early, grown = growing_file(range(10), range(10, 100))
    s3.put(KEY, early)
    logdir = flowscope.Logdir(s3.url("logs"))
    assert logdir.scalars()["step"].tolist() == list(range(10))
    run = logdir.runs["run"]
    (reader,) = logdir._readers.values()
    assert reader.offset == len(early)

    s3.put(KEY, grown)
    with caplog.at_level(logging.WARNING):
        assert logdir.reload()
    assert logdir.scalars()["step"].tolist() == list(range(100))
    assert logdir.runs["run"] is run, "the run goes on: nothing is read twice"
    assert reader.offset == len(grown)
    assert not caplog.records

    s3.put(KEY, grown)  # the same bytes again: nothing new
    assert not logdir.reload()


def test_an_object_recreated_smaller_is_read_again(s3, caplog):
    s3.put(KEY, scalar_file(range(100)))
    logdir = flowscope.Logdir(s3.url("logs"))
    assert len(logdir.scalars()) == 100
    version = logdir.runs["run"].version

    s3.put(KEY, scalar_file(range(5), scale=-1.0))
    with caplog.at_level(logging.WARNING):
        assert logdir.reload()
    frame = logdir.scalars()
    assert frame["step"].tolist() == list(range(5))
    assert frame["value"].tolist() == [-0.0, -1.0, -2.0, -3.0, -4.0]
    assert logdir.runs["run"].version > version
    assert "events.out.tfevents.1.host shrank" in caplog.text
    assert "reading the run again" in caplog.text


def test_an_object_rewritten_larger_with_other_content_is_read_again(s3):
    s3.put(KEY, scalar_file(range(10)))
    logdir = flowscope.Logdir(s3.url("logs"))
    s3.put(KEY, scalar_file(range(50), scale=2.0))
    assert logdir.reload()
    frame = logdir.scalars()
    assert frame["step"].tolist() == list(range(50))
    assert frame["value"].tolist() == [2.0 * step for step in range(50)]


def test_the_endpoint_and_credentials_can_come_from_an_aws_profile(s3, tmp_path, monkeypatch):
    s3.put(KEY, scalar_file(range(3)))
    for variable in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(variable)
    config, credentials = tmp_path / "config", tmp_path / "credentials"
    config.write_text(f"[profile lab]\nregion = us-east-1\nendpoint_url = {s3.endpoint}\n")
    credentials.write_text("[lab]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_PROFILE", "lab")
    assert flowscope.Logdir(s3.url("logs")).scalars()["step"].tolist() == [0, 1, 2]


def test_an_unreachable_endpoint_leaves_an_empty_logdir_with_one_error(s3, caplog):
    s3.put(KEY, scalar_file(range(3)))
    s3.stop()
    with caplog.at_level(logging.WARNING):
        logdir = flowscope.Logdir(s3.url("logs"))
        assert not logdir.reload()
    assert logdir.run_names() == []
    assert logdir.error.startswith(f"cannot list logdir {s3.url('logs')}: Could not connect")
    assert [r.getMessage() for r in caplog.records] == [logdir.error]

    s3.start()
    s3.put(KEY, scalar_file(range(3)))
    assert logdir.reload()
    assert logdir.error is None
    assert logdir.run_names() == ["run"]
