"""The number-and-date form fields of a draft (Decree 30: the clerk numbers at issuance).

A draft carries no number: where Decree 30 prints "Số: 05/UBND-VP" and the
place and date, the rendered draft has two AcroForm text fields, created
before anyone signs, whose appearance shows the blanks ("Số:      /UBND-VP",
"Diễn Kim, ngày      tháng      năm 2026"). After the person with authority
signs, the clerk fills them (``simulator.signing.issuance``): a form fill,
which an approval signature permits, so the agency seal then covers the
number the register gave.

Appearances are drawn with pyHanko's text stamps in the embedded Noto Serif
(``GlyphAccumulatorFactory``, the same size in the factory and the style),
13 pt like the body text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from simulator.documents.fonts import cut_font

NUMBER_FIELD = "vbdt_so_ky_hieu"   # value: "12/UBND-VP"
DATE_FIELD = "vbdt_ngay"           # value: "2026-03-05"; shows "Diễn Kim, ngày 05 tháng 3 năm 2026"
FIELD_SIZE = 13                    # points, as the body text
BASELINE_PT = 4                    # a field's text stands this far above its bottom edge (room for descenders)
BLANK = "\u2002" * 4               # where the clerk writes the number or the day (en spaces keep their width)


@dataclass(frozen=True)
class FieldPlace:
    """Where a field sits: page index, rectangle in points (origin bottom left), font style, alignment."""

    name: str
    page: int
    rect: tuple[float, float, float, float]
    style: str = ""            # "" regular, "I" italic
    align: str = "left"        # "left" or "center"

    def as_text(self) -> str:
        x1, y1, x2, y2 = self.rect
        return f"{self.name} {self.page} {x1:.2f} {y1:.2f} {x2:.2f} {y2:.2f} {self.style or '-'} {self.align}"


def draft_number_text(code_notation: str) -> str:
    """The number line's blank before issuance: '    /UBND-VP'."""
    return f"{BLANK}/{code_notation}"


def draft_date_text(place: str, year: int) -> str:
    """The place-and-date line before issuance: 'Diễn Kim, ngày    tháng    năm 2026'."""
    return f"{place}, ngày{BLANK}tháng{BLANK}năm {year}"


def text_appearance(writer, text: str, width: float, height: float, *, style: str = "",
                    align: str = "left", size: int = FIELD_SIZE):
    """A form XObject showing ``text`` in Noto Serif at ``size``, added to ``writer``; its reference."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStamp, TextStampStyle

    x_align = layout.AxisAlignment.ALIGN_MID if align == "center" else layout.AxisAlignment.ALIGN_MIN
    stamp_style = TextStampStyle(
        stamp_text=text.replace("%", "%%"),
        # no inner margin: pyHanko's default (10 pt each side) would push the number a word's width away
        # from "Số:" and make the box taller than the line
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(cut_font(style)), font_size=size),
                                    font_size=size, box_layout_rule=layout.SimpleBoxLayoutRule(
                                        x_align=layout.AxisAlignment.ALIGN_MIN,
                                        y_align=layout.AxisAlignment.ALIGN_MIN, margins=layout.Margins())),
        border_width=0, background=None,
        inner_content_layout=layout.SimpleBoxLayoutRule(  # the baseline BASELINE_PT above the bottom edge
            x_align=x_align, y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(bottom=BASELINE_PT), inner_content_scaling=layout.InnerScaling.NO_SCALING))
    stamp = TextStamp(writer, stamp_style, box=layout.BoxConstraints(width=round(width), height=round(height)))
    return writer.add_object(stamp.as_form_xobject())


def _widget(writer, place: FieldPlace, text: str):
    from pyhanko.pdf_utils import generic

    x1, y1, x2, y2 = place.rect
    page_ref = writer.find_page_for_modification(place.page)[0]
    field = generic.DictionaryObject({
        generic.NameObject("/FT"): generic.NameObject("/Tx"),
        generic.NameObject("/T"): generic.TextStringObject(place.name),
        generic.NameObject("/V"): generic.TextStringObject(""),
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/Widget"),
        generic.NameObject("/F"): generic.NumberObject(4),    # print (PDF/A)
        generic.NameObject("/Ff"): generic.NumberObject(1),   # read-only in a viewer: the clerk fills it in code
        generic.NameObject("/Q"): generic.NumberObject(1 if place.align == "center" else 0),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(round(v, 2)) for v in place.rect]),
        generic.NameObject("/DA"): generic.TextStringObject(f"/F1 {FIELD_SIZE:g} Tf 0 g"),
        generic.NameObject("/P"): page_ref,
        generic.NameObject("/AP"): generic.DictionaryObject({
            generic.NameObject("/N"): text_appearance(writer, text, x2 - x1, y2 - y1, style=place.style,
                                                      align=place.align)}),
    })
    return writer.add_object(field)


def add_fields(data: bytes, places: list[tuple[FieldPlace, str]]) -> bytes:
    """``data`` with empty text fields at ``places`` (each with the text its blank shows), one update."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    refs = [(place.page, _widget(writer, place, text)) for place, text in places]
    for page_index in sorted({page for page, _ref in refs}):
        page = writer.find_page_for_modification(page_index)[0].get_object()
        annots = page.get("/Annots")
        mine = [ref for page_no, ref in refs if page_no == page_index]
        if annots is None:
            page[generic.NameObject("/Annots")] = generic.ArrayObject(mine)
        else:
            annots.extend(mine)
            if isinstance(page.raw_get("/Annots"), generic.IndirectObject):
                writer.update_container(annots)
        writer.update_container(page)
    fonts = generic.DictionaryObject()
    for _page, ref in refs:  # the fonts the blanks are drawn with serve as the form's default resources
        fonts.update(ref.get_object()["/AP"]["/N"]["/Resources"]["/Font"])
    form = generic.DictionaryObject({
        generic.NameObject("/Fields"): generic.ArrayObject([r for _p, r in refs]),
        generic.NameObject("/DR"): generic.DictionaryObject({generic.NameObject("/Font"): fonts}),
        generic.NameObject("/DA"): generic.TextStringObject(f"/F1 {FIELD_SIZE:g} Tf 0 g"),
    })
    writer.root[generic.NameObject("/AcroForm")] = writer.add_object(form)
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
