"""Idempotent ingest of a record from its files, and the repair step (at open and ``vbdt archive repair``)."""

from __future__ import annotations

import json
import shutil
import signal

import pytest
from sqlalchemy import func, select

from simulator.archiving import Archive
from simulator.archiving.catalogue import packages, records
from simulator.archiving.store import package_path
from simulator.cli.main import main
from simulator.errors import UserError

from .helpers import doc_meta, record_fields
from .test_kill import _finish, _spec, _start


def _items(pdfs, *kinds):
    return [(pdfs[k], doc_meta(f"Về việc thử {k}", code_number=str(i + 1))) for i, k in enumerate(kinds)]


def test_same_ingest_twice_is_done_once(archive, pdfs):
    first = archive.ingest_new(record_fields(), _items(pdfs, "cong_van", "plain"), agent="Lê Thị Hoa")
    assert not first.repeated and archive.record(first.record_id).state == "archived"
    again = archive.ingest_new(record_fields(), _items(pdfs, "cong_van", "plain"), agent="Lê Thị Hoa")
    assert again.repeated and (again.id, again.record_id) == (first.id, first.record_id)
    assert sorted(f["path"] for f in again.files) == sorted(f["path"] for f in first.files)
    with archive.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(records)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(packages)).scalar_one() == 1
    assert len(archive.search("ve viec thu", limit=10)) == 2


def test_other_documents_under_an_ingested_file_code_are_refused(archive, pdfs):
    archive.ingest_new(record_fields(), _items(pdfs, "cong_van"))
    with pytest.raises(UserError, match="000.01.40.H41.2026.01"):
        archive.ingest_new(record_fields(), _items(pdfs, "plain"))


def test_rerun_completes_a_record_an_older_crash_left_open_and_empty(archive, pdfs):
    stuck = archive.create_record(record_fields())  # what the old two-step ingest left when killed
    pkg = archive.ingest_new(record_fields(), _items(pdfs, "cong_van", "plain"))
    assert pkg.record_id == stuck.id and archive.record(stuck.id).state == "archived"
    assert [d["ordinal"] for d in archive.documents(stuck.id)] == [1, 2]


def test_nothing_is_stored_when_a_document_is_bad(archive, pdfs):
    with pytest.raises(UserError):
        archive.ingest_new(record_fields(), _items(pdfs, "cong_van", "not_pdf"))
    assert archive.records() == [] and archive.store.package_dirs() == set()


def test_orphan_of_a_catalogued_record_is_removed_with_a_premis_event(tmp_path, pdfs):
    folder = tmp_path / "luu-tru"
    with Archive(folder) as arc:
        pkg = arc.ingest_new(record_fields(), _items(pdfs, "cong_van"))
        orphan = package_path("ab" * 16)  # a second package of the same record, as the old ingest left one
        shutil.copytree(pkg.path, folder / orphan)
        assert arc.audit().untracked == [orphan]
    with Archive(folder) as arc:
        assert arc.repaired.removed == [orphan] and not (folder / orphan).exists()
        ev = arc.events("ab" * 16)
        assert [(e["event_type"], e["detail"].split(":")[0]) for e in ev] == [("deletion", "repair")]
        assert ev[0]["id"] in arc.repaired.events
        report = arc.audit()
        assert report.success and report.untracked == []


def test_orphan_of_an_unknown_record_is_kept_and_reported(capsys, tmp_path, pdfs):
    with Archive(tmp_path / "khac") as other:
        foreign = other.ingest_new(record_fields(), _items(pdfs, "plain")).path
    folder = tmp_path / "luu-tru"
    with Archive(folder) as arc:
        arc.ingest_new(record_fields("000.01.40.H41.2026.02"), _items(pdfs, "cong_van"))
    rel = package_path(foreign.name)
    shutil.copytree(foreign, folder / rel)  # its only copy: never removed by a repair
    code = main(["--lang", "en", "archive", "--folder", str(folder), "repair"])
    out = capsys.readouterr().out
    assert code == 1 and f"kept: {rel}" in out and (folder / rel).is_dir()
    code = main(["archive", "--folder", str(folder), "audit", "--json"])
    assert code == 1 and json.loads(capsys.readouterr().out)["untracked"] == [rel]


def test_cli_audit_reports_an_interrupted_ingest_and_repair_adopts_it(capsys, tmp_path, pdfs):
    folder = tmp_path / "luu-tru"
    spec, code = _spec(tmp_path, pdfs, 1)
    rc, _out, _err = _finish(_start("cli", str(folder), str(spec), "commit"))  # killed: placed, not committed
    assert rc == -signal.SIGKILL
    args = ["--lang", "en", "archive", "--folder", str(folder)]
    assert main([*args, "audit", "--no-repair", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert len(report["stuck"]) == 1 and code in report["stuck"][0] and len(report["untracked"]) == 1
    assert main([*args, "audit", "--no-repair"]) == 1
    assert "interrupted ingests" in capsys.readouterr().out
    assert main([*args, "repair", "--json"]) == 0
    repaired = json.loads(capsys.readouterr().out)
    assert len(repaired["adopted"]) == 1 and len(repaired["events"]) == 1 and repaired["removed"] == []
    assert main([*args, "audit", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stuck"] == []
    assert main([*args, "ingest", str(spec), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["repeated"] is True and again["package"] == repaired["adopted"][0]
    assert main(["archive", "--folder", str(folder), "ingest", str(spec)]) == 0  # Vietnamese by default
    assert "đã được nộp lưu thành gói" in capsys.readouterr().out
