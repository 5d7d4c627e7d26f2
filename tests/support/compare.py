"""Comparing answers: JSON equal up to float rounding, HTML equal up to whitespace."""

from __future__ import annotations

import math
from html.parser import HTMLParser

import httpx

REL_TOL = 1e-6
ABS_TOL = 1e-6  # TensorBoard rounds old-style histograms to float32


def assert_close(actual: object, expected: object, where: str = "$") -> None:
    """Equal structure and values; floats (and ints against floats) up to rounding."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"
    elif isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if math.isnan(expected):
            assert math.isnan(actual), f"{where}: {actual!r} != nan"
        else:
            assert math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL), (
                f"{where}: {actual!r} != {expected!r}"
            )
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {type(actual).__name__} is not an object"
        assert set(actual) == set(expected), f"{where}: keys {sorted(actual)} != {sorted(expected)}"
        for key in expected:
            assert_close(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: {type(actual).__name__} is not a list"
        assert len(actual) == len(expected), f"{where}: length {len(actual)} != {len(expected)}"
        for index, (a, e) in enumerate(zip(actual, expected)):
            assert_close(a, e, f"{where}[{index}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tokens.append(("<", tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append((">", tag))

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.tokens.append(("text", text))


def html_tokens(html: str) -> list[tuple]:
    """Tags, attributes and text of ``html``, whitespace normalised."""
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens


def get_json(url: str, path: str) -> object:
    response = httpx.get(url + path, timeout=30)
    assert response.status_code == 200, f"{url}{path}: {response.status_code} {response.text[:300]}"
    return response.json()


def both(flowscope_url: str, tensorboard_url: str, path: str) -> tuple[object, object]:
    return get_json(flowscope_url, path), get_json(tensorboard_url, path)
