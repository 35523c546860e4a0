"""A rendered page as a reader's eye takes it in: lines of characters with their position (mm from
the top left corner), size (pt), weight and slant, and the horizontal rules drawn on it. Read with
PDFium's text page (``pypdfium2``), the way a viewer extracts text."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

MM = 72 / 25.4


@dataclass(frozen=True)
class Char:
    text: str
    left: float      # mm from the left edge
    right: float
    baseline: float  # mm from the top edge
    size: float      # pt
    font: str        # embedded font name, e.g. 'MPDFAA+NotoSerifBold'

    @property
    def bold(self) -> bool:
        return "Bold" in self.font

    @property
    def italic(self) -> bool:
        return "Italic" in self.font


@dataclass(frozen=True)
class Line:
    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars).strip()

    @property
    def ink(self) -> tuple[Char, ...]:
        return tuple(c for c in self.chars if not c.text.isspace())

    @property
    def left(self) -> float:
        return min(c.left for c in self.ink)

    @property
    def right(self) -> float:
        return max(c.right for c in self.ink)

    @property
    def baseline(self) -> float:
        return self.chars[0].baseline

    @property
    def sizes(self) -> set[float]:
        return {round(c.size, 1) for c in self.ink}

    @property
    def all_bold(self) -> bool:
        return all(c.bold for c in self.ink)

    @property
    def all_italic(self) -> bool:
        return all(c.italic for c in self.ink)


@dataclass(frozen=True)
class Rule:
    left: float
    right: float
    y: float

    @property
    def length(self) -> float:
        return self.right - self.left

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


@dataclass(frozen=True)
class Page:
    lines: tuple[Line, ...]
    rules: tuple[Rule, ...]
    chars: tuple[Char, ...]

    def find(self, start: str) -> list[Line]:
        return [line for line in self.lines if line.text.startswith(start)]

    def exact(self, text: str) -> Line:
        found = [line for line in self.lines if line.text == text]
        assert len(found) == 1, (text, [line.text for line in self.lines])
        return found[0]

    def one(self, start: str) -> Line:
        found = self.find(start)
        assert len(found) == 1, (start, [line.text for line in self.lines])
        return found[0]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def read_page(path: str | Path, index: int = 0) -> Page:
    pdf = pdfium.PdfDocument(str(path))
    page = pdf[index]
    height = page.get_height()
    textpage = page.get_textpage()
    chars = []
    for i in range(textpage.count_chars()):
        text = chr(raw.FPDFText_GetUnicode(textpage, i))
        if text in "\r\n\x00":
            continue
        if raw.FPDFText_IsGenerated(textpage, i):  # a space PDFium infers between words: no box of its own
            if chars:
                last = chars[-1]
                chars.append(Char(" ", last.right, last.right, last.baseline, last.size, last.font))
            continue
        buffer, flags = ctypes.create_string_buffer(256), ctypes.c_int()
        raw.FPDFText_GetFontInfo(textpage, i, buffer, 256, ctypes.byref(flags))
        x, y = ctypes.c_double(), ctypes.c_double()
        raw.FPDFText_GetCharOrigin(textpage, i, ctypes.byref(x), ctypes.byref(y))
        left, _bottom, right, _top = textpage.get_charbox(i)
        chars.append(Char(text, left / MM, right / MM, (height - y.value) / MM,
                          raw.FPDFText_GetFontSize(textpage, i), buffer.value.decode()))
    rules = []
    for obj in page.get_objects():
        if obj.type == raw.FPDF_PAGEOBJ_PATH:
            left, bottom, right, top = obj.get_bounds()
            if top - bottom < 3 and right - left > 3:  # a horizontal rule (a box's frame is taller)
                rules.append(Rule(left / MM, right / MM, (height - (top + bottom) / 2) / MM))
    return Page(_lines(chars), tuple(rules), tuple(chars))


def _lines(chars: list[Char]) -> tuple[Line, ...]:
    """Characters on one baseline, split where a gap wider than 6 mm separates two columns."""
    rows: dict[float, list[Char]] = {}
    for char in chars:
        key = next((k for k in rows if abs(k - char.baseline) < 0.6), char.baseline)
        rows.setdefault(key, []).append(char)
    lines = []
    for key in sorted(rows):
        row = sorted(rows[key], key=lambda c: c.left)
        current: list[Char] = []
        for char in row:
            ink = [c for c in current if not c.text.isspace()]
            if ink and not char.text.isspace() and char.left - ink[-1].right > 6:
                lines.append(Line(tuple(current)))
                current = []
            current.append(char)
        if any(not c.text.isspace() for c in current):
            lines.append(Line(tuple(current)))
    return tuple(lines)
