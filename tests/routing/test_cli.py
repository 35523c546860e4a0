"""The command line: register, edxml, axis, admin; exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import re

import pytest

from simulator.cli.main import main
from simulator.routing import Axis, Directory, Registers, edxml, envelope_from_document
from simulator.routing.envelope import Attachment


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def envelope_file(tmp_path, doc, at):
    path = tmp_path / "env.xml"
    path.write_bytes(edxml.build(envelope_from_document(doc, attachments=[Attachment("a.pdf", b"%PDF-1.7")],
                                                        sent_at=at)))
    return path


def test_edxml_commands(capsys, tmp_path, envelope_file, doc):
    code, out, _ = run(capsys, "edxml", "validate", str(envelope_file), "--json")
    assert code == 0 and json.loads(out) == {"valid": True, "errors": []}
    bad = tmp_path / "bad.xml"
    bad.write_bytes(envelope_file.read_bytes().replace(b"<edXML:Priority>0<", b"<edXML:Priority>8<"))
    code, out, _ = run(capsys, "edxml", "validate", str(bad), "--json")
    report = json.loads(out)
    assert code == 1 and report["valid"] is False
    assert report["errors"][0]["path"] == "/edXMLEnvelope/edXMLHeader/MessageHeader/OtherInfo/Priority"
    code, out, _ = run(capsys, "edxml", "validate", str(bad))
    assert code == 1 and "Priority" in out
    code, out, _ = run(capsys, "edxml", "parse", str(envelope_file), "--json")
    spec = tmp_path / "spec.json"
    spec.write_text(out, encoding="utf-8")
    assert json.loads(out)["document_id"] == doc.document_id
    rebuilt = tmp_path / "again.xml"
    code, out, _ = run(capsys, "edxml", "build", str(spec), "-o", str(rebuilt), "--attach", str(envelope_file))
    assert code == 0
    again = edxml.parse(rebuilt.read_bytes())
    assert again.attachments[0].content == b"%PDF-1.7"
    assert again.attachments[1].content == envelope_file.read_bytes()
    code, out, _ = run(capsys, "edxml", "parse", str(envelope_file))
    assert code == 0 and "Nguyễn Văn An" in out
    assert re.search(r", \d\d/\d\d/\d{4}$", out, re.M) and not re.search(r"\d{4}-\d\d-\d\d", out)
    code, _, err = run(capsys, "edxml", "parse", str(bad))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Priority" in err
    code, _, err = run(capsys, "edxml", "validate", str(tmp_path / "missing.xml"))
    assert code == 2


def test_axis_register_and_admin_commands(capsys, tmp_path, envelope_file, doc, communes, at, lang_en):
    axis_db, reg_db = str(tmp_path / "axis.sqlite"), str(tmp_path / "reg.sqlite")
    base = ["admin", "--db", axis_db]
    # the fixtures are 3-level communes: seed the registry with that structure
    assert run(capsys, *base, "org", "seed", "--structure", "2024", "--by", "quan_tri")[0] == 0
    code, out, _ = run(capsys, *base, "org", "add", "000.99.40.H41", "Ủy ban nhân dân phường Mới",
                       "--parent", doc.issuer_code, "--by", "quan_tri")
    assert code == 0 and "000.99.40.H41" in out
    assert run(capsys, *base, "org", "add", "000.99.40.H41", "Trùng", "--by", "quan_tri")[0] == 2
    assert run(capsys, *base, "org", "add", "12345", "Sai mã", "--by", "quan_tri")[0] == 2
    assert run(capsys, *base, "user", "add", "nva", "--name", "Nguyễn Văn A", "--unit", communes[0].code,
               "--role", "van_thu", "--by", "quan_tri")[0] == 0
    assert run(capsys, *base, "user", "add", "x", "--name", "X", "--unit", "000.88.88.H41",
               "--role", "van_thu", "--by", "quan_tri")[0] == 2
    code, out, _ = run(capsys, *base, "user", "list", "--json")
    assert [u["username"] for u in json.loads(out)] == ["nva"]
    assert run(capsys, *base, "user", "remove", "nva", "--by", "quan_tri")[0] == 0
    assert run(capsys, *base, "org", "retire", "000.99.40.H41", "--by", "quan_tri", "--reason", "sáp nhập")[0] == 0
    code, out, _ = run(capsys, *base, "audit", "--json")
    actions = [a["action"] for a in json.loads(out)]
    assert actions == ["seed", "org.add", "user.add", "user.remove", "org.retire"]
    assert all(a["by"] == "quan_tri" and a["at"] for a in json.loads(out))
    code, out, _ = run(capsys, *base, "audit")   # actions in words and dates as people read them
    assert "account added" in out and "user.add" not in out and "unit retired" in out
    assert all(re.match(r"\d\d/\d\d/\d{4} \d\d:\d\d  quan_tri", line) for line in out.splitlines())

    ax = ["axis", "--db", axis_db]
    code, out, _ = run(capsys, *ax, "send", str(envelope_file), "--json")
    assert code == 0 and len(json.loads(out)["accepted"]) == 3
    code, out, _ = run(capsys, *ax, "send", str(envelope_file))
    assert code == 0 and "nothing changed" in out
    commune = communes[0].code
    code, out, _ = run(capsys, *ax, "pending", commune, "--json")
    assert [p["doc_id"] for p in json.loads(out)] == [doc.document_id]
    got = tmp_path / "got.xml"
    assert run(capsys, *ax, "get", doc.document_id, commune, "-o", str(got))[0] == 0
    reg = ["--db", reg_db, "--unit", commune]
    code, out, _ = run(capsys, "register", "receive", "--db", reg_db, "--unit", commune, "--by", "nva", str(got))
    assert code == 0 and "number 1/" in out
    code, out, _ = run(capsys, "register", "receive", "--db", reg_db, "--unit", commune, "--by", "nva", str(got))
    assert code == 0 and "nothing changed" in out
    assert run(capsys, *ax, "confirm", doc.document_id, commune, "--status", "01")[0] == 0
    assert run(capsys, *ax, "confirm", doc.document_id, commune, "--status", "77")[0] == 2
    code, out, _ = run(capsys, *ax, "traces", doc.document_id, "--json")
    assert [t["code"] for t in json.loads(out)] == ["", "01"]
    code, out, _ = run(capsys, *ax, "operator", "--json")
    assert json.loads(out)["queues"][commune] == {"done": 1}
    code, out, _ = run(capsys, *ax, "operator")   # states in words, not the database's keys
    assert f"{commune}  handled: 1" in out and "done" not in out
    code, out, _ = run(capsys, *ax, "traces", doc.document_id)   # times as people read them
    assert re.search(r"^\d\d/\d\d/\d{4} \d\d:\d\d  ", out, re.M) and "T0" not in out and "+07:00" not in out
    assert run(capsys, *ax, "outage", commune)[0] == 0
    assert run(capsys, *ax, "pending", commune)[0] == 2
    assert run(capsys, *ax, "outage", commune, "--up")[0] == 0
    code, out, _ = run(capsys, *ax, "orgs", "--json")
    assert any(o["organ_id"] == commune for o in json.loads(out))

    code, out, _ = run(capsys, "register", "list", *reg, "--json")
    [entry] = json.loads(out)
    assert entry["document_id"] == doc.document_id and entry["number"] == 1
    code, out, _ = run(capsys, "register", "search", *reg, "trien khai", "--json")
    assert len(json.loads(out)) == 1
    code, out, _ = run(capsys, "register", "search", *reg, "--code", "07/UBND-VP")
    assert code == 0 and "07/UBND-VP" in out
    assert run(capsys, "register", "search", *reg, "--from", "02/03/2026")[0] == 2
    code, out, _ = run(capsys, "register", "show", *reg, "1", "--year", "2026", "--json")
    assert json.loads(out)["number"] == 1
    code, out, _ = run(capsys, "register", "show", *reg, "1", "--year", "2026")   # the form's own columns
    assert code == 0 and out.startswith("Ngày đến") and "Số đến" in out and "Tên loại và trích yếu nội dung" in out
    assert "document_id" not in out and "issuer_code" not in out
    code, out, _ = run(capsys, "register", "search", *reg, "--code", "07/UBND-VP")
    assert re.search(r"^\s+1  \d\d/\d\d/2026  07/UBND-VP", out, re.M)
    assert run(capsys, "register", "show", *reg, "5", "--year", "2026")[0] == 2
    assert len(Registers(reg_db, commune).incoming()) == 1
    assert Axis(axis_db).traces(doc.document_id)[-1].code == "01"
    assert len(Directory(axis_db).audit()) == 5
