"""The signature drawn as a PNG image without Qt (for the clerk, the paper and the PDF).

Pillow (already needed by reportlab) draws the strokes; the image is greyscale without an
alpha channel, so it can go into a PDF/A file as it is.
"""

from __future__ import annotations

import io

from kiosk.domain.signature import Signature, SignatureRecord

__all__ = ["IMAGE_WIDTH", "record_of", "render_png"]

IMAGE_WIDTH = 900
"""Width of the stored image in pixels: about 300 dpi across a 75 mm 署名 box."""

_PEN = 0.012     # the line width as a share of the image's height (a felt-tip's look)


def render_png(signature: Signature, width: int = IMAGE_WIDTH) -> bytes:
    """The strokes in black on white, scaled to ``width`` pixels and the pad's proportions."""
    # Pillow on the first signature, not with the visit's modules as the tablet starts.
    from PIL import Image, ImageDraw  # noqa: PLC0415

    scale = width / max(1, signature.width)
    height = max(1, round(signature.height * scale))
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    pen = max(2, round(height * _PEN * 2))
    for stroke in signature.strokes:
        points = [(x * scale, y * scale) for x, y, _ in stroke.points]
        if len(points) == 1:
            x, y = points[0]
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=0)
        else:
            draw.line(points, fill=0, width=pen, joint="curve")
            for x, y in (points[0], points[-1]):     # round caps
                draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def record_of(signature: Signature) -> SignatureRecord:
    """The strokes with their image, ready to be sealed with the application."""
    return SignatureRecord(signature, render_png(signature))
