"""The graph dashboard's upload picker takes the file types the server lists."""

from __future__ import annotations

from flowscope.graph.importer import GRAPH_FILE_SUFFIXES
from tests.support.pages import open_graph


def test_upload_picker_accepts_what_the_server_reads(page, graphs_url):
    open_graph(page, graphs_url)
    accept = page.get_attribute(".graph-file", "accept")
    assert accept == ",".join(GRAPH_FILE_SUFFIXES)
