"""``vbdt archive``: records, ingest, search, audit, backups, retention and disposal."""

from __future__ import annotations

import json
from pathlib import Path

import click

from simulator import inputs
from simulator.cli.common import (MAX_PDF, MAX_TEXT, Choice, Database, ExistingFolder, InputFile, IntRange, IsoDate,
                                  OutputFolder, echo_json, verdict_exit)
from simulator.calendar import vn_datetime
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("archiving")


def _day(value) -> str:
    """A date as people read it (dd/mm/yyyy); empty for none."""
    return vn_datetime(value) if value else ""
_v = translator("vbdt")  # messages of the command line itself


def _open(ctx: click.Context, *, repair: bool = True, existing: bool = False):
    """The archive; ``existing`` for a look-up, which must not create an empty archive to refuse in."""
    from simulator.archiving import Archive

    obj = ctx.find_object(dict)
    if existing and obj["url"] is None and not Path(obj["folder"]).is_dir():
        raise UserError(_v("--folder: there is no archive in {folder} yet.", folder=obj["folder"]), field="--folder")
    inputs.writable_folder(obj["folder"], "--folder")  # a default folder is checked here, where it is used
    return Archive(obj["folder"], obj["url"], repair=repair)


def _load_spec(path: Path) -> dict:
    import yaml

    text = inputs.read_text(path, max_bytes=MAX_TEXT, field="SPEC")
    try:
        spec = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        raise UserError(_("{name} is not valid JSON or YAML.", name=path.name), field="spec") from None
    if not isinstance(spec, dict) or "record" not in spec or not isinstance(spec.get("documents"), list):
        raise UserError(_("The ingest file needs a 'record' and a list of 'documents'."), field="spec")
    return spec


def _event_labels() -> dict[str, str]:
    """PREMIS event types and outcomes in the user's language (the catalogue keeps the PREMIS terms)."""
    return {"ingestion": _("ingestion"), "message digest calculation": _("message digest calculation"),
            "format identification": _("format identification"), "validation": _("signature validation"),
            "fixity check": _("fixity check"), "migration": _("migration to PDF/A"), "deletion": _("deletion"),
            "replication": _("backup"), "recovery": _("recovery"), "success": _("success"),
            "failure": _("failure"), "not applicable": _("not applicable"), "not validated": _("not validated")}


@click.group("archive")
@click.option("--folder", envvar="VBDT_ARCHIVE", default="luu-tru", show_default=True,
              type=OutputFolder(), help="Archive folder (thư mục lưu trữ).")
@click.option("--url", envvar="VBDT_ARCHIVE_URL", default=None, type=Database(urls_only=True),
              help="SQLAlchemy URL of the catalogue.")
@click.pass_context
def archive(ctx: click.Context, folder: str, url: str | None) -> None:
    """Lưu trữ: hồ sơ, gói bảo quản, tìm kiếm, kiểm tra, sao lưu, tiêu hủy (archive)."""
    ctx.obj = {"folder": folder, "url": url}


@archive.command()
@click.argument("spec", required=False, type=InputFile(MAX_TEXT, structured=True))
@click.option("--record", "record_id", help="Ingest an existing open record instead of a file.")
@click.option("--agent", default="", help="Who ingests (người nộp lưu).")
@click.option("--derivatives/--no-derivatives", default=False, help="Add PDF/A-2b copies of unsigned originals.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def ingest(ctx, spec: Path | None, record_id: str | None, agent: str, derivatives: bool, as_json: bool) -> None:
    """Nộp lưu một hồ sơ: SPEC (JSON/YAML) gồm 'record' và 'documents' [{path, metadata}]."""
    from simulator.archiving.formats import identify
    from simulator.archiving.metadata import parse_document, parse_record

    if not spec and not record_id:
        raise UserError(_("Give an ingest file or --record ID."), field="spec")
    if spec:  # check everything before the archive is opened (a bad file changes nothing)
        data = _load_spec(spec)
        record_meta = parse_record(data["record"])
        docs = []
        for i, item in enumerate(data["documents"], 1):
            if not isinstance(item, dict) or "path" not in item:
                raise UserError(_("Document {n} in the ingest file has no 'path'.", n=i), field="documents")
            pdf = (spec.parent / str(item["path"])).resolve()
            if not pdf.exists():
                raise UserError(_("File {path} does not exist.", path=str(item["path"])), field="documents")
            inputs.readable_file(pdf, max_bytes=MAX_PDF, field="documents")  # no device, pipe or giant
            identify(pdf, extract_text=False)
            docs.append((pdf, parse_document(item.get("metadata") or {})))
        agent = agent or str(data.get("agent") or "")
    with _open(ctx) as arc:
        if spec:
            pkg = arc.ingest_new(record_meta, docs, agent=agent or None, derivatives=derivatives)
            record_id = pkg.record_id
        else:
            pkg = arc.ingest(record_id, agent=agent or None, derivatives=derivatives)
        if as_json:
            echo_json({"record": record_id, "package": pkg.id, "path": str(pkg.path), "files": pkg.files,
                       "repeated": pkg.repeated})
        elif pkg.repeated:
            click.echo(_("Record {id} was already ingested as package {pkg}; nothing changed.", id=record_id,
                         pkg=pkg.id))
        else:
            click.echo(_("Record {id} ingested as package {pkg} ({n} files).", id=record_id, pkg=pkg.id,
                         n=len(pkg.files)))


@archive.command()
@click.argument("query", required=False, default="")
@click.option("--from", "date_from", type=IsoDate(), help="Issued on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", type=IsoDate(), help="Issued on or before (YYYY-MM-DD).")
@click.option("--issuer", help="Issuing agency (name or identifier code).")
@click.option("--type", "doc_type", help="Document type name, e.g. 'Quyết định'.")
@click.option("--record", help="Record id.")
@click.option("--limit", default=20, show_default=True, type=IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(ctx, query, date_from, date_to, issuer, doc_type, record, limit, as_json) -> None:
    """Tìm văn bản (có dấu hoặc không dấu)."""
    with _open(ctx) as arc:
        hits = arc.search(query, date_from=date_from, date_to=date_to, issuer=issuer, doc_type=doc_type,
                          record=record, limit=limit)
    if as_json:
        echo_json([h.as_json() for h in hits])
        return
    if not hits:
        click.echo(_("No documents found."))
    for h in hits:
        click.echo(f"{h.id:>7}  {_day(h.date):<10}  {h.code:<18} {h.subject}  [{h.issuer}]")


@archive.command("list")
@click.option("--state", type=Choice(["open", "archived", "disposed"]), help="Only records in this state.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_records(ctx, state: str | None, as_json: bool) -> None:
    """Danh sách hồ sơ."""
    with _open(ctx) as arc:
        recs = arc.records(state)
    if as_json:
        echo_json([{"id": r.id, "file_code": r.file_code, "title": r.title, "state": r.state,
                    "retention": r.retention, "start_date": r.start_date, "end_date": r.end_date} for r in recs])
        return
    if not recs:
        click.echo(_("No records."))
    states = {"open": _("open"), "archived": _("archived"), "disposed": _("disposed")}
    for r in recs:
        click.echo(f"{r.id}  {r.file_code:<24} {states[r.state]:<12} {r.retention:<10} {r.title}")


@archive.command()
@click.argument("record_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx, record_id: str, as_json: bool) -> None:
    """Xem một hồ sơ: thông tin, văn bản, gói bảo quản, sự kiện."""
    with _open(ctx, existing=True) as arc:
        info = arc.show(record_id)
    if as_json:
        echo_json(info)
        return
    rec = info["record"]
    click.echo(f"{rec['file_code']}  {rec['title']}")
    states = {"open": _("open"), "archived": _("archived"), "disposed": _("disposed")}
    click.echo(_("State: {state}; retention: {retention}; from {start} to {end}.", state=states[rec["state"]],
                 retention=rec["retention"], start=_day(rec["start_date"]),
                 end=_day(rec["end_date"]) or "…"))
    for d in info["documents"]:
        click.echo(f"  {d['ordinal']:>3}. {d['code'] or '':<18} {_day(d['issued_date'])}  {d['subject']}")
    if info["package"]:
        click.echo(_("Package: {path}", path=info["package"]["path"]))
    labels = _event_labels()
    for e in info["events"]:
        click.echo(f"  {vn_datetime(e['event_datetime'])}  {labels.get(e['event_type'], e['event_type'])}: "
                   f"{labels.get(e['outcome'], e['outcome'])}")
    if info["tombstone"]:
        t = info["tombstone"]
        click.echo(_("Destroyed on {when} under {ref} (approved by {who}).", when=vn_datetime(t['disposed_at']),
                     ref=t["approval_ref"], who=t["approved_by"]))


@archive.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--agent", default="", help="Who runs the audit.")
@click.option("--history", is_flag=True, help="Show the fixity log of earlier runs instead of auditing.")
@click.option("--no-repair", is_flag=True, help="Audit the archive as it is, without repairing after a crash first.")
@click.pass_context
def audit(ctx, as_json: bool, agent: str, history: bool, no_repair: bool) -> None:
    """Kiểm tra toàn vẹn toàn bộ kho (đầy đủ, không kiểm tra nhanh). Mã thoát 1 khi có hư hỏng.

    Lập lịch bằng cron, ví dụ hằng ngày lúc 2 giờ: 0 2 * * * vbdt archive --folder KHO audit --json
    """
    if history:
        with _open(ctx) as arc:
            runs = arc.fixity_history()
        if as_json:
            echo_json(runs)
            return
        for r in runs:
            verdict = _("passed") if r["success"] else _("FAILED")
            message = _("Checked {n} packages: all complete and valid.", n=r["packages"]) if r["success"] else _(
                "Damage found: {c} changed, {m} missing, {u} untracked.", c=len(r["changed"]), m=len(r["missing"]),
                u=len(r["untracked"]))
            click.echo(f"{vn_datetime(r['started'])}  {verdict:<10} {message}")
        return
    with _open(ctx, repair=not no_repair) as arc:
        report = arc.audit(agent or None)
    if as_json:
        echo_json(report.as_json())
    else:
        click.echo(report.message)
        for label, items in ((_("changed"), report.changed), (_("missing"), report.missing),
                             (_("untracked"), report.untracked), (_("interrupted"), report.stuck)):
            for item in items:
                click.echo(f"  {label}: {item}")
    verdict_exit(report.success)


@archive.command()
@click.option("--agent", default="", help="Who runs the repair.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def repair(ctx, agent: str, as_json: bool) -> None:
    """Sửa chữa sau sự cố: hoàn tất hoặc hủy lần nộp lưu bị ngắt, nhận hoặc xóa gói mồ côi (ghi sự kiện PREMIS)."""
    with _open(ctx) as arc:  # opening repairs; a second pass only finds what a concurrent crash left since
        report = arc.repaired
        again = arc.repair(agent or None)
    for key in ("adopted", "abandoned", "removed", "events"):
        getattr(report, key).extend(getattr(again, key))
    report.kept = again.kept
    if as_json:
        echo_json(report.as_json())
        return
    click.echo(_("Repair: {a} packages adopted, {b} interrupted ingests undone, {r} folders removed.",
                 a=len(report.adopted), b=len(report.abandoned), r=len(report.removed)))
    for rel in report.kept:
        click.echo(_("  kept: {path} (its record is not in the catalogue; restore it or remove it by hand)",
                     path=rel))
    verdict_exit(not report.kept)


@archive.command()
@click.argument("dest", type=OutputFolder())
@click.option("--incremental", is_flag=True, help="Copy only what is new since the last backup set.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def backup(ctx, dest: str, incremental: bool, as_json: bool) -> None:
    """Sao lưu sang thư mục/ổ đĩa khác (toàn bộ hoặc gia tăng)."""
    with _open(ctx) as arc:
        result = arc.backup(dest, full=not incremental)
    if as_json:
        echo_json(result.as_json())
    else:
        kind = _("full") if result.kind == "full" else _("incremental")
        click.echo(_("Backup set {id} ({kind}): {n} packages, {mb:.1f} MB.", id=result.id, kind=kind,
                     n=result.packages, mb=result.bytes / 1e6))


@archive.command()
@click.argument("src", type=ExistingFolder())
@click.option("--drill", is_flag=True, help="Restore into a temporary folder and audit it (nothing here changes).")
@click.option("--force", is_flag=True, help="Restore even if records newer than the backup would leave the catalogue.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def restore(ctx, src: str, drill: bool, force: bool, as_json: bool) -> None:
    """Phục hồi từ bản sao lưu mới nhất, hoặc diễn tập phục hồi (--drill)."""
    with _open(ctx) as arc:
        result = arc.restore_drill(src) if drill else arc.restore(src, force=force)
    if as_json:
        echo_json(result)
    elif drill:
        click.echo(_("Restore drill from {set}: {status}; {n} packages, {r} records, {d} documents.",
                     set=result["set"], status=_("passed") if result["success"] else _("FAILED"),
                     n=result["packages"], r=result["records"], d=result["documents"]))
    else:
        click.echo(_("Restored from {set}: {r} packages copied back, {k} already intact, {f} failed.",
                     set=result["set"], r=len(result["restored"]), k=len(result["kept"]), f=len(result["failed"])))
    if drill:
        verdict_exit(result["success"])
    else:
        verdict_exit(not result["failed"])


@archive.command()
@click.option("--at", "at", type=IsoDate(), help="Date to count from (YYYY-MM-DD); default today.")
@click.option("--handover", is_flag=True, help="List open records overdue for hand-over to the agency archive.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def expired(ctx, at: str | None, handover: bool, as_json: bool) -> None:
    """Liệt kê hồ sơ hết thời hạn bảo quản, kèm lý do (hoặc hồ sơ quá hạn nộp lưu: --handover)."""
    if handover:
        with _open(ctx) as arc:
            late = arc.handover_overdue(at)
        if as_json:
            echo_json([{"record_id": r.id, "file_code": r.file_code, "title": r.title,
                        "end_date": r.end_date, "handover_due": r.handover_due} for r in late])
            return
        if not late:
            click.echo(_("No open record is overdue for hand-over."))
        for r in late:
            click.echo(_("{code}  {title}: work ended {end}; hand-over was due by {due}.", code=r.file_code,
                         title=r.title, end=r.end_date, due=r.handover_due))
        return
    with _open(ctx) as arc:
        rows = arc.expired(at)
    if as_json:
        echo_json([r.as_json() for r in rows])
        return
    if not rows:
        click.echo(_("No record has reached the end of its retention period."))
    for r in rows:
        click.echo(f"{r.record_id}  {r.file_code}  {r.title}\n    {r.reason}")


@archive.command()
@click.argument("record_ids", nargs=-1)
@click.option("--request", "request_id", help="Carry out this approved disposal request.")
@click.option("--reason", default="", help="Reasoned note for the appraisal council.")
@click.option("--by", "by", required=True, help="Who requests or carries out the destruction.")
@click.option("--at", "at", type=IsoDate(), help="Date to count retention from (YYYY-MM-DD); default today.")
@click.pass_context
def dispose(ctx, record_ids, request_id, reason, by, at) -> None:
    """Đề nghị tiêu hủy RECORD_IDS, hoặc thực hiện đề nghị đã được duyệt (--request)."""
    with _open(ctx, existing=True) as arc:
        if request_id:
            if record_ids:
                raise UserError(_("Give either record ids (to request) or --request (to carry out), not both."),
                                field="request_id")
            tombs = arc.dispose(request_id, agent=by, at=at)
            for t in tombs:
                click.echo(_("Destroyed {code} ({title}); tombstone kept, approval {ref}.", code=t.file_code,
                             title=t.title, ref=t.approval_ref))
        else:
            if not record_ids:
                raise UserError(_("Give the record ids to destroy, or --request ID."), field="record_ids")
            req = arc.request_disposal(list(record_ids), reason, by, at=at)
            click.echo(_("Disposal request {id} recorded; it needs the approval of the head of the agency.", id=req))


@archive.command()
@click.argument("request_id")
@click.option("--by", "by", required=True, help="Head of the agency who decides.")
@click.option("--decision", required=True, help="Reference of the decision, e.g. 'Quyết định số 12/QĐ-UBND'.")
@click.option("--council", default="", help="Appraisal council (Hội đồng xác định giá trị tài liệu).")
@click.pass_context
def approve(ctx, request_id: str, by: str, decision: str, council: str) -> None:
    """Phê duyệt đề nghị tiêu hủy (quyết định của người đứng đầu cơ quan)."""
    with _open(ctx, existing=True) as arc:
        arc.approve_disposal(request_id, by, decision, council)
    click.echo(_("Disposal request {id} approved by {who} ({ref}).", id=request_id, who=by, ref=decision))


@archive.command()
@click.argument("record_id")
@click.option("--reason", default="", help="Why the record must be kept (inspection, complaint, lawsuit).")
@click.option("--by", "by", default="", help="Who places the hold.")
@click.option("--release", is_flag=True, help="Release the record's holds.")
@click.pass_context
def hold(ctx, record_id: str, reason: str, by: str, release: bool) -> None:
    """Tạm giữ hồ sơ (chặn tiêu hủy), hoặc gỡ tạm giữ (--release)."""
    with _open(ctx, existing=True) as arc:
        if release:
            arc.release_hold(record_id)
            click.echo(_("Hold on {id} released.", id=record_id))
        else:
            arc.place_hold(record_id, reason, by)
            click.echo(_("Record {id} is on hold.", id=record_id))


@archive.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx, as_json: bool) -> None:
    """Số liệu kho: hồ sơ, văn bản, trang, văn bản ký số và số hóa."""
    with _open(ctx) as arc:
        st = arc.stats()
    if as_json:
        echo_json(st)
        return
    r = st["records"]
    click.echo(_("Records: {o} open, {a} archived, {d} destroyed.", o=r["open"], a=r["archived"], d=r["disposed"]))
    click.echo(_("Documents: {n} ({p} pages); {s} digitally signed, {c} digitised from paper, {k} in packages.",
                 n=st["documents"], p=st["pages"], s=st["signed"], c=st["scanned"], k=st["archived"]))


@archive.command()
@click.option("--json", "as_json", is_flag=True)
def schedule(as_json: bool) -> None:
    """Bảng thời hạn bảo quản (Thông tư 10/2022/TT-BNV)."""
    from simulator.archiving.retention import SOURCE, schedule_rows

    rows = schedule_rows()
    if as_json:
        echo_json({"source": SOURCE, "rules": rows})
        return
    click.echo(SOURCE)
    for r in rows:
        click.echo(f"  {r['key']:<28} {r['label']:<10} {r['title']}")
