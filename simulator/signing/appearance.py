"""What a signature looks like on the page (Decree 30/2020, Appendix I).

- The person's signature: a blue handwriting-like image on a transparent
  background, drawn at run time from the name, centred in the space between
  the position line and the full name; under it a small line with the
  signer's name and the signing time as people read it (``05/03/2026 09:15``,
  :func:`simulator.calendar.vn_datetime`, on the world's clock).
- The agency seal: red, round, real size (36 mm), the agency's name on the
  rim and a star in the middle, transparent, covering about a third of the
  person's image on its left.
- An attachment's signature: text only, top right of page 1: the number and
  code of the main document and the signing time in ISO 8601 with +07:00,
  size 10, black.

Every text uses the embedded Noto Serif through ``GlyphAccumulatorFactory``
with the same size in the factory and the ``TextBoxStyle`` (PITFALLS.md).
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from simulator.text import nfc

BLUE = (20, 48, 170, 255)
RED = (215, 25, 32, 255)
SEAL_MM = 36.0
MM = 72 / 25.4
SEAL_PT = SEAL_MM * MM
PERSON_W_PT, PERSON_H_PT = 120.0, 62.0


@dataclass(frozen=True)
class Box:
    """A rectangle on a page, in PDF points with the origin at bottom left."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    def rect(self) -> tuple[int, int, int, int]:
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))


def font_path(style: str = ""):
    # Imported lazily: importing simulator.documents pulls in the PDF renderer.
    from simulator.documents.fonts import font_path as _font_path

    return _font_path(style)


def _rng(text: str) -> random.Random:
    return random.Random(zlib.crc32(text.encode("utf-8")))


@lru_cache(maxsize=256)
def signature_image(full_name: str) -> Image.Image:
    """A blue signature drawn from the name: initials, the given name and a flourish."""
    full_name = nfc(full_name).strip()
    words = full_name.split() or ["?"]
    given = words[-1]
    initials = "".join(w[0] for w in words[:-1])
    rng = _rng(full_name)
    font = ImageFont.truetype(str(font_path("I")), 150)
    small = ImageFont.truetype(str(font_path("I")), 90)
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    w_init = probe.textlength(initials, font=small) + 14 if initials else 0
    w_given = probe.textlength(given, font=font)
    w, h = int(80 + w_init + w_given + 60), 360
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    x = 50 + rng.randint(0, 20)
    if initials:
        draw.text((x, 95), initials, font=small, fill=BLUE)
        x += w_init
    draw.text((x, 40), given, font=font, fill=BLUE)
    end = x + w_given
    # A flourish under the name: a wavy stroke whose shape depends on the name.
    amp, freq, phase = rng.uniform(10, 22), rng.uniform(1.2, 2.2), rng.uniform(0, math.pi)
    points = []
    steps = 80
    for i in range(steps + 1):
        t = i / steps
        px = 30 + t * (end - 10)
        py = 270 + amp * math.sin(freq * math.pi * t + phase) - 36 * t
        points.append((px, py))
    draw.line(points, fill=BLUE, width=8, joint="curve")
    bbox = img.getbbox() or (0, 0, w, h)
    pad = 8
    return img.crop((max(bbox[0] - pad, 0), max(bbox[1] - pad, 0), min(bbox[2] + pad, w), min(bbox[3] + pad, h)))


def _rim_text(img: Image.Image, text: str, font: ImageFont.FreeTypeFont, radius: float,
              start_deg: float, end_deg: float) -> None:
    """Write ``text`` clockwise along an arc (angles from the top, clockwise)."""
    cx, cy = img.width / 2, img.height / 2
    draw = ImageDraw.Draw(img)
    widths = [draw.textlength(ch, font=font) for ch in text]
    total = sum(widths)
    span = end_deg - start_deg
    # spread the letters over the arc, never tighter than their own width
    scale = max(1.0, (math.radians(span) * radius) / max(total, 1))
    angle = math.radians(start_deg)
    for ch, width in zip(text, widths):
        step = width * scale / radius
        mid = angle + step / 2
        if ch.strip():
            size = int(font.size * 1.6)
            tile = Image.new("RGBA", (size, size), (0, 0, 0, 0))
            ImageDraw.Draw(tile).text((size / 2, size / 2), ch, font=font, fill=RED, anchor="mm")
            tile = tile.rotate(-math.degrees(mid), resample=Image.BICUBIC)
            x = cx + radius * math.sin(mid) - size / 2
            y = cy - radius * math.cos(mid) - size / 2
            img.alpha_composite(tile, (int(x), int(y)))
        angle += step


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.4
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    draw.polygon(pts, fill=RED)


@lru_cache(maxsize=128)
def seal_image(unit_name: str, place: str = "") -> Image.Image:
    """A red round seal: the agency's name on the rim, a star in the middle."""
    unit_name = nfc(unit_name).strip().upper()
    size = 600
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c = size / 2
    draw.ellipse((8, 8, size - 8, size - 8), outline=RED, width=16)
    draw.ellipse((112, 112, size - 112, size - 112), outline=RED, width=6)
    font = ImageFont.truetype(str(font_path("B")), 46 if len(unit_name) < 28 else 38)
    _rim_text(img, unit_name, font, radius=c - 66, start_deg=-150, end_deg=150)
    _star(draw, c, c - 18, 70)
    if place:
        label = nfc(place).upper()
        small = ImageFont.truetype(str(font_path("B")), 34)
        draw.text((c, c + 88), label, font=small, fill=RED, anchor="mm")
    return img


IMAGE_H_PT = 44.0
TEXT_BAND_PT = 18.0
RING_SHARE = 292 / 300    # the seal's outer ring in its square (seal_image: 8 px inside a 600 px image)
SEAL_LIFT_PT = 8.0        # the seal's centre under the top of the person's box
TEXT_TOP_PT = 25.5        # the top of the name line (accents included) above the box's bottom
TEXT_HALF_PT = 28.5       # half the time line "30/11/2026 15:06" at 7 pt
NAME_SHARE = 0.3          # half a name's line at 7 pt, as a share of the person's box (at most)
TEXT_CLEAR_PT = 1.5       # white between the ring and that text


def person_box(sig_box: Box, full_name: str) -> Box:
    """Where the person's stamp goes: centred in the signature space, as wide as its image."""
    img = signature_image(full_name)
    w = min(IMAGE_H_PT * img.width / img.height, sig_box.width, PERSON_W_PT * 1.4)
    h = min(IMAGE_H_PT + TEXT_BAND_PT, max(sig_box.height, 40.0))
    w = max(w, 95.0)
    cx, cy = (sig_box.x1 + sig_box.x2) / 2, (sig_box.y1 + sig_box.y2) / 2
    return Box(sig_box.page, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def seal_box(person: Box) -> Box:
    """The seal's square: level with the upper part of the person's image, covering about a third of it
    on its left, and its ring clear of the signer's name and time printed under the image.

    The ring is a circle: the higher its centre above that small text, the less far it reaches to the
    right at the text's height. The centre stands SEAL_LIFT_PT under the top of the person's box, and
    the right edge is pulled back, if need be, so that the ring ends before the centred text: the time
    line (TEXT_HALF_PT each side of the middle) or the name, which is about as wide as NAME_SHARE of the
    box each side (the box is as wide as the signature drawn from the name)."""
    ring = SEAL_PT / 2 * RING_SHARE
    cy = person.y2 - SEAL_LIFT_PT
    rise = cy - (person.y1 + TEXT_TOP_PT)                                # centre above the text's top
    reach = ring - math.sqrt(max(ring * ring - rise * rise, 0.0)) if rise < ring else ring
    half = max(TEXT_HALF_PT, NAME_SHARE * person.width)
    text_left = (person.x1 + person.x2) / 2 - half
    right = min(person.x1 + person.width / 3, text_left - TEXT_CLEAR_PT + reach + (SEAL_PT / 2 - ring))
    return Box(person.page, right - SEAL_PT, cy - SEAL_PT / 2, right, cy + SEAL_PT / 2)


def default_signature_box(page_width: float = 595.28, page: int = 0) -> Box:
    """Bottom right of the first page when a PDF carries no ``/VbdtSignatureBox``."""
    x2 = page_width - 15 * MM
    return Box(page, x2 - 255, 120, x2, 210)


def attachment_box(page_width: float, page_height: float) -> Box:
    """Top right of page 1, inside the 15 mm right margin."""
    x2 = page_width - 15 * MM
    y2 = page_height - 6 * MM
    return Box(0, x2 - 250, y2 - 34, x2, y2)


TEXT_SIZE_PERSON = 7
TEXT_SIZE_ATTACHMENT = 10


def _text_box_style(size: int):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    from simulator.documents.fonts import cut_font
    from pyhanko.pdf_utils.text import TextBoxStyle

    return TextBoxStyle(font=GlyphAccumulatorFactory(str(cut_font("")), font_size=size), font_size=size)


def person_style(full_name: str):
    """pyHanko stamp: the blue signature image with a small line naming the signer and the signing time
    (text parameters ``signer`` and ``time``, the latter dd/mm/yyyy HH:MM)."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        stamp_text="%(signer)s\n%(time)s",
        text_box_style=_text_box_style(TEXT_SIZE_PERSON),
        background=PdfImage(signature_image(full_name)),
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(0, 0, 0, TEXT_BAND_PT)),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(0, 0, 1, 0)),
    )


def seal_style(unit_name: str):
    """pyHanko stamp: the red seal image only."""
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import StaticStampStyle

    return StaticStampStyle(background=PdfImage(seal_image(unit_name)), background_opacity=1.0,
                            border_width=0)


def attachment_style(text: str):
    """pyHanko stamp: two lines of text, size 10, black, no image, no border."""
    from pyhanko.pdf_utils import layout
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        stamp_text=text.replace("%", "%%"),
        text_box_style=_text_box_style(TEXT_SIZE_ATTACHMENT),
        border_width=0,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX, y_align=layout.AxisAlignment.ALIGN_MID,
            inner_content_scaling=layout.InnerScaling.NO_SCALING),  # size 10 exactly, as the decree says
    )
