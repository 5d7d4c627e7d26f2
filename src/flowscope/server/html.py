"""Markdown and text tensors rendered to HTML that is safe to put in a page:
the same tags and attributes TensorBoard allows, nothing that runs."""

from __future__ import annotations

import threading

import markdown
import nh3
import numpy as np

ALLOWED_TAGS = {
    "ul",
    "ol",
    "li",
    "p",
    "pre",
    "code",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "strong",
    "em",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "td",
    "tr",
    "th",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "title", "alt"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HIGH_RANK_WARNING = (
    "**Warning:** This text summary contained data of dimensionality {rank}, but only "
    "2d tables are supported. Showing a 2d slice of the data instead."
)


class _Converters(threading.local):
    def __init__(self) -> None:
        self.markdown = markdown.Markdown(extensions=["tables", "fenced_code"])


_converters = _Converters()


def sanitize(unsafe_html: str) -> str:
    """Drops every tag, attribute and URL scheme outside the allowed sets."""
    return nh3.clean(
        unsafe_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )


def _decode(value: object) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return text.replace("\x00", "")


def _markdown(source: object) -> str:
    converter = _converters.markdown
    converter.reset()
    return converter.convert(_decode(source))


def markdown_to_safe_html(source: object) -> str:
    return sanitize(_markdown(source))


def _table(cells: np.ndarray) -> str:
    """An HTML table of already-rendered cells; a vector is one column."""
    rows = cells.reshape(-1, 1) if cells.ndim == 1 else cells
    body = "".join(
        "<tr>\n" + "".join(f"<td>{cell}</td>\n" for cell in row) + "</tr>\n" for row in rows
    )
    return f"<table>\n<tbody>\n{body}</tbody>\n</table>"


def text_to_safe_html(array: np.ndarray, use_markdown: bool = True) -> str:
    """A text tensor as HTML: rank 0 is one document, ranks 1 and 2 a table, higher
    ranks the 2-D slice at index 0 of the leading axes, under a warning."""
    render = _markdown if use_markdown else _decode
    if array.ndim == 0:
        return sanitize(render(array.item()))
    warning = ""
    if array.ndim > 2:
        warning = markdown_to_safe_html(_HIGH_RANK_WARNING.format(rank=array.ndim))
        array = array[(0,) * (array.ndim - 2)]
    cells = np.empty(array.shape, dtype=object)
    for index, value in np.ndenumerate(array):
        cells[index] = render(value)
    return warning + sanitize(_table(cells))
