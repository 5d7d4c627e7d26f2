"""``flowscope graph`` exports laid-out views and reports bad input in one line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flowscope.cli.main import main

GRAPHS = Path(__file__).parents[1] / "data" / "graphs"


def test_exports_svg_dot_and_json(tmp_path, capsys):
    source = str(GRAPHS / "keras_inception_v3.pb")
    for suffix in ("svg", "dot", "json"):
        out = tmp_path / f"view.{suffix}"
        assert main(["graph", source, "-o", str(out)]) == 0
        assert out.stat().st_size > 0
    ET.parse(tmp_path / "view.svg")  # well-formed XML
    assert (tmp_path / "view.dot").read_text().lstrip().startswith(("digraph", "strict digraph"))
    view = json.loads((tmp_path / "view.json").read_text())
    assert view["nodes"] and view["edges"]
    assert "wrote" in capsys.readouterr().out


def test_expand_opens_the_named_group(tmp_path):
    out_collapsed, out_expanded = tmp_path / "a.json", tmp_path / "b.json"
    source = str(GRAPHS / "torch_bert")
    assert main(["graph", source, "-o", str(out_collapsed)]) == 0
    assert main(["graph", source, "-o", str(out_expanded), "--expand-all"]) == 0
    collapsed = json.loads(out_collapsed.read_text())["nodes"]
    expanded = json.loads(out_expanded.read_text())["nodes"]
    assert len(expanded) > len(collapsed)
    assert any(node.get("expanded") for node in expanded)


def test_bad_input_is_one_clear_line(tmp_path, capsys):
    assert main(["graph", str(tmp_path / "missing.pb"), "-o", str(tmp_path / "x.svg")]) == 1
    err = capsys.readouterr().err
    assert "missing.pb" in err and len(err.strip().splitlines()) == 1
    assert main(["graph", str(GRAPHS / "keras_resnet50.pb"), "-o", str(tmp_path / "x.png")]) == 1
    assert ".svg" in capsys.readouterr().err


def test_default_export_expands_to_a_readable_page(tmp_path, capsys):
    for source, least in (("keras_inception_v3.pb", 100), ("torch_bert", 100), ("tf1_train", 100)):
        out = tmp_path / f"{source}.json"
        assert main(["graph", str(GRAPHS / source), "-o", str(out)]) == 0
        view = json.loads(out.read_text())
        assert least <= len(view["nodes"]) <= 400, source
        assert view["height"] > view["width"] / 2  # packed for an upright page
    out = tmp_path / "top.json"
    assert main(["graph", str(GRAPHS / "torch_bert"), "-o", str(out), "--depth", "0"]) == 0
    assert len(json.loads(out.read_text())["nodes"]) == 3


def test_logdir_export_names_what_it_picked_and_lists_graphs(tmp_path, capsys):
    out = tmp_path / "view.svg"
    assert main(["graph", str(GRAPHS), "--run", "tf1_train", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "run 'tf1_train'" in said and "tag '__run_graph__'" in said and "'step_1'" in said
    assert main(["graph", str(GRAPHS), "--list"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert ["tf1_train", "step_1", "profile"] in rows and ["tf2_trace", "model_trace", "trace"] in rows
    with pytest.raises(SystemExit):  # neither -o nor --list
        main(["graph", str(GRAPHS)])


def test_expand_of_a_missing_name_suggests_the_closest(tmp_path, capsys):
    out = tmp_path / "view.svg"
    assert main(["graph", str(GRAPHS / "keras_resnet50.pb"), "-o", str(out), "--expand", "conv1_bn"]) == 1
    err = capsys.readouterr().err
    assert "no node named 'conv1_bn'" in err and "'resnet50_1/conv1_bn_1'" in err
