"""``/favicon.ico``: the app's icon, drawn once: three nodes of a dataflow graph in
white on the app's orange."""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw
from starlette.requests import Request
from starlette.responses import Response

ORANGE = (232, 113, 10, 255)
WHITE = (255, 255, 255, 255)
SIZE = 64
NODES = [(18, 18), (46, 18), (32, 46)]


@functools.cache
def favicon_bytes() -> bytes:
    """The icon as an ICO file (32 and 16 pixels, drawn at 64 and scaled down)."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, SIZE - 1, SIZE - 1), radius=12, fill=ORANGE)
    for start, end in ((NODES[0], NODES[2]), (NODES[1], NODES[2])):
        draw.line((*start, *end), fill=WHITE, width=5)
    for x, y in NODES:
        draw.ellipse((x - 8, y - 8, x + 8, y + 8), fill=WHITE)
    out = io.BytesIO()
    image.save(out, format="ICO", sizes=[(32, 32), (16, 16)])
    return out.getvalue()


def favicon(request: Request) -> Response:
    return Response(
        favicon_bytes(),
        media_type="image/vnd.microsoft.icon",
        headers={"Cache-Control": "max-age=86400"},
    )
