"""The ``vbdt pki``, ``vbdt sign`` and ``vbdt verify`` commands, end to end."""

from __future__ import annotations

import io
import json
import re
import zlib

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from simulator.cli.main import main
from simulator.i18n import set_language


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    set_language(None)


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def change_one_word(data: bytes) -> bytes:
    """An incremental update that rewrites page 1's text with one glyph changed."""
    w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    page = w.root["/Pages"]["/Kids"][0].get_object()
    ref = page.raw_get("/Contents")
    if isinstance(ref, generic.ArrayObject):
        ref = ref[-1]
    stream = ref.get_object()
    text = stream.data
    # fpdf2 writes text as 2-byte glyph ids: give the second letter of a body word the glyph of the first
    m = re.search(rb"Td \(\x00([^\\()])\x00([^\\()])", text[len(text) // 3:])
    assert m, "no text shown on the page"
    start = len(text) // 3 + m.start(2)
    assert text[start] != m.group(1)[0]
    new = text[:start] + m.group(1) + text[start + 1:]
    w.mark_update(ref)
    stream._data = new  # noqa: SLF001
    stream._encoded_data = None
    for key in ("/Filter", "/DecodeParms"):
        if key in stream:
            del stream[key]
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_done_when_scenario(tmp_path, capsys, document, unit, monkeypatch):
    """init, issue a person and a clerk, sign twice, verify --json; then one changed word.

    The person is the one the document's signature block names (verify checks it).
    """
    monkeypatch.chdir(tmp_path)
    pw = tmp_path / "pw.txt"
    pw.write_text("mat-khau-cli\n", encoding="utf-8")
    code, out, _ = run(capsys, "pki", "init", "pki")
    assert code == 0 and "pki" in out
    code, out, _ = run(capsys, "pki", "--pki", "pki", "issue", "--name", unit.signer, "--position", "Chủ tịch",
                       "--unit", "Ủy ban nhân dân xã Diễn Kim", "--code", "000.01.40.H41",
                       "--passphrase-file", pw, "--json")
    assert code == 0
    person = json.loads(out)
    code, out, _ = run(capsys, "pki", "--pki", "pki", "issue", "--seal", "--unit", "Ủy ban nhân dân xã Diễn Kim",
                       "--code", "000.01.40.H41", "--passphrase-file", pw, "--json")
    seal = json.loads(out)
    assert person["kind"] == "person" and seal["kind"] == "seal" and person["status"] == "valid"
    code, out, _ = run(capsys, "sign", document, "--as", person["p12"], "--passphrase-file", pw,
                       "--out", "ky.pdf", "--pki", "pki")
    assert code == 0, out
    code, out, _ = run(capsys, "sign", "ky.pdf", "--as", seal["p12"], "--seal", "--passphrase-file", pw,
                       "--out", "dong-dau.pdf", "--pki", "pki")
    assert code == 0
    code, out, _ = run(capsys, "verify", "dong-dau.pdf", "--json", "--pki", "pki")
    report = json.loads(out)
    assert code == 0 and report["indication"] == "TOTAL_PASSED" and report["decree30"]["ok"]
    assert [s["role"] for s in report["signatures"]] == ["person", "seal"]
    assert "Chữ ký hợp lệ" in report["signatures"][0]["explanation"]

    tampered = tmp_path / "sua-mot-chu.pdf"
    tampered.write_bytes(change_one_word((tmp_path / "dong-dau.pdf").read_bytes()))
    code, out, _ = run(capsys, "verify", tampered, "--json", "--pki", "pki")
    bad = json.loads(out)
    assert code == 1 and bad["indication"] == "TOTAL_FAILED"
    assert any("Văn bản đã bị sửa sau khi ký" in s["explanation"] for s in bad["signatures"])
    code, out, _ = run(capsys, "verify", tampered, "--pki", "pki")
    assert code == 1 and "KHÔNG tiếp nhận" in out

    # administrators: list, revoke, publish a CRL
    code, out, _ = run(capsys, "pki", "--pki", "pki", "list")
    assert code == 0 and unit.signer in out and "còn hiệu lực" in out
    code, out, _ = run(capsys, "pki", "--pki", "pki", "revoke", hex(person["serial"]), "--reason", "key_compromise")
    assert code == 0 and "thu hồi" in out
    code, out, _ = run(capsys, "pki", "--pki", "pki", "list", "--json")
    listed = {c["serial"]: c for c in json.loads(out)}
    assert listed[person["serial"]]["status"] == "revoked"
    code, out, _ = run(capsys, "pki", "--pki", "pki", "crl")
    assert code == 0 and (tmp_path / "pki" / "crl" / "ca.crl").exists()
    # a revoked certificate can no longer sign: one line, exit 2, nothing written
    code, out, err = run(capsys, "sign", document, "--as", person["p12"], "--passphrase-file", pw,
                         "--out", "khong-duoc.pdf", "--pki", "pki")
    assert code == 2 and "thu hồi" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "khong-duoc.pdf").exists()


def test_bad_input_exits_2(tmp_path, capsys, sealed, pki, holders):
    notpdf = tmp_path / "a.pdf"
    notpdf.write_text("hello")
    code, _out, err = run(capsys, "verify", notpdf, "--pki", pki.folder)
    assert code == 2 and "PDF" in err
    code, _out, err = run(capsys, "verify", tmp_path / "missing.pdf", "--pki", pki.folder)
    assert code == 2
    code, _out, err = run(capsys, "verify", sealed, "--at", "2026-01-01", "--pki", pki.folder)
    assert code == 2 and "múi giờ" in err
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("sai")
    code, _out, err = run(capsys, "sign", sealed, "--as", holders.person, "--passphrase-file", wrong,
                          "--out", tmp_path / "x.pdf", "--pki", pki.folder)
    assert code == 2 and "mật khẩu" in err.lower()
    code, _out, err = run(capsys, "verify", sealed, "--pki", tmp_path / "no-pki")
    assert code == 2


def test_english_on_request(capsys, sealed, pki):
    code, out, _ = run(capsys, "--lang", "en", "verify", sealed, "--pki", pki.folder)
    assert code == 0 and "The document is valid" in out
