"""What a reader of a signed PDF sees: its text (signature appearances included) and its signatures' times."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def signatures(path: Path) -> list:
    """pyHanko's embedded signatures of ``path`` (document time stamps left out)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(path, "rb") as fh:
        return list(PdfFileReader(fh, strict=False).embedded_regular_signatures)


def gen_time(sig) -> datetime:
    """The genTime of the RFC 3161 token the TSA attached to the signature."""
    for attr in sig.signer_info["unsigned_attrs"]:
        if attr["type"].native == "signature_time_stamp_token":
            token = attr["values"][0]["content"]["encap_content_info"]["content"].parsed
            return token["gen_time"].native
    raise AssertionError(f"{sig.field_name} carries no time stamp")


def shown_text(path: Path) -> str:
    """The text a reader sees, signature appearances included (flattened into the pages by qpdf)."""
    import pikepdf
    import pypdfium2

    flat = path.with_name(path.name + ".flat.tmp")
    with pikepdf.open(path) as pdf:
        pdf.flatten_annotations("all")
        pdf.save(flat)
    doc = pypdfium2.PdfDocument(str(flat))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
        flat.unlink()
