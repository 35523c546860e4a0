"""The agency seal on a signed document, looked at as pixels: it covers about a third of the person's
signature on its left and leaves the small name-and-time line under the signature readable."""

from __future__ import annotations

import pikepdf
import pypdfium2 as pdfium
import pytest

from simulator.documents import ContentGenerator, render_pdf
from simulator.signing.sign import PERSON_FIELD, SEAL_FIELD

DPI = 200
PASS = "mat-khau-1"
NAMES = ("Hoàng Hữu Tuấn", "Nguyễn Thị Thanh Hương")  # a usual name and a long one


def _red(p) -> bool:
    """The seal's red (215, 25, 32), green and blue alike; not the brown fringe of anti-aliased text."""
    return p[0] > 150 and p[0] > p[1] + 80 and abs(p[1] - p[2]) < 30


def _black(p) -> bool:
    return max(p) < 110 and max(p) - min(p) < 40


def _blue(p) -> bool:
    return p[2] > 120 and p[2] > p[0] + 60 and p[2] > p[1] + 40


@pytest.fixture(scope="module")
def sealed(tmp_path_factory, province):
    """One commune document per name, signed by that person and sealed: (pdf path, person rect, seal rect)."""
    from dataclasses import replace

    from simulator.signing import TrainingPKI, sign_person, sign_seal

    folder = tmp_path_factory.mktemp("seal")
    commune = province.find("Xã Anh Sơn Đông")
    pki = TrainingPKI.create(folder / "pki")
    seal = pki.issue_seal(commune.name, commune.code, PASS)
    out = []
    for k, name in enumerate(NAMES):
        doc = ContentGenerator(5).document(commune, province, "cong_van")
        doc = replace(doc, signer=replace(doc.signer, full_name=name))
        pdf = render_pdf(doc, folder / f"{k}.pdf").path
        person = pki.issue_person(name, doc.signer.position, commune.name, commune.code, PASS)
        signed = sign_person(pdf, folder / f"{k}-p.pdf", person, PASS, pki)
        done = sign_seal(signed, folder / f"{k}-s.pdf", seal, PASS, pki)
        with pikepdf.open(done) as reader:
            rects = {str(f.T): [float(v) for v in f.Rect] for f in reader.Root.AcroForm.Fields if "/Rect" in f}
        out.append((done, rects[PERSON_FIELD], rects[SEAL_FIELD]))
    return out


def _pixels(path, rect):
    """The page's pixels inside ``rect`` (points, origin bottom left), with the fields' appearances."""
    pdf = pdfium.PdfDocument(str(path))
    pdf.init_forms()
    page = pdf[0]
    height = page.get_height()
    image = page.render(scale=DPI / 72, may_draw_forms=True).to_pil().convert("RGB")
    x1, y1, x2, y2 = rect
    s = DPI / 72
    return image.crop((int(x1 * s), int((height - y2) * s), int(x2 * s), int((height - y1) * s)))


def test_the_seals_ring_leaves_the_signers_name_and_time_readable(sealed):
    for path, person, _seal in sealed:
        x1, y1, x2, _y2 = person
        band = _pixels(path, (x1, y1, x2, y1 + 28))  # the name-and-time lines under the signature image
        width, height = band.size
        pixels = band.load()
        text = [(x, y) for x in range(width) for y in range(height) if _black(pixels[x, y])]
        assert len(text) > 100, path
        left, right = min(x for x, _y in text), max(x for x, _y in text)
        top, bottom = min(y for _x, y in text), max(y for _x, y in text)
        pad = int(0.5 * DPI / 25.4)  # half a millimetre of white around the text
        red = [(x, y) for x in range(max(left - pad, 0), min(right + pad, width))
               for y in range(max(top - pad, 0), min(bottom + pad, height)) if _red(pixels[x, y])]
        assert not red, (path.name, len(red))


def test_the_seal_still_covers_about_a_third_of_the_signature_on_its_left(sealed):
    for path, person, seal in sealed:
        px1, _py1, px2, _py2 = person
        sx1, sy1, sx2, sy2 = seal
        assert abs((sx2 - sx1) - (sy2 - sy1)) < 1.5 and 95 < sx2 - sx1 < 110  # round, 36 mm
        share = (sx2 - px1) / (px2 - px1)
        assert 0.25 <= share <= 0.40 and sx1 < px1, share
        image = _pixels(path, person)
        pixels = image.load()
        both = sum(1 for x in range(image.size[0]) for y in range(image.size[1])
                   if _red(pixels[x, y]) or _blue(pixels[x, y]))
        assert both > 1000
