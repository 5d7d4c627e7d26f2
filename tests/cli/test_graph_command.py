"""``flowscope graph`` exports laid-out views and reports bad input in one line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

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
