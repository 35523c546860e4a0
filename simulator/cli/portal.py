"""``vbdt portal``: publish signed legal documents on the province portal, build it, serve it, search it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from simulator import inputs
from simulator.cli.common import (MAX_PDF, Choice, Folder, InputFile, IntRange, IsoDate, OutputFolder, Url, echo_json,
                                  free_port, port_type)
from simulator.i18n import translator
from simulator.portal import DEFAULT_FOLDER, DEFAULT_URL

_ = translator("portal")

IN_FORCE = {"con-hieu-luc": True, "khong-hieu-luc": False}


def _fields() -> list[str]:
    from simulator.documents.content import FIELDS
    from simulator.portal.metadata import UNCLASSIFIED

    return [*FIELDS, UNCLASSIFIED]


def _statuses() -> list[str]:
    from simulator.portal.status import RECORDED

    return list(RECORDED)


def _open(ctx: click.Context):
    from simulator.portal import Portal

    return Portal(ctx.obj["folder"])


@click.group("portal")
@click.option("--folder", envvar="VBDT_PORTAL", default=DEFAULT_FOLDER, show_default=True, type=OutputFolder(),
              help="Portal folder: the published documents and the built site.")
@click.pass_context
def portal(ctx: click.Context, folder: str) -> None:
    """Cổng thông tin điện tử: đăng văn bản pháp luật đã ký số, dựng trang, phục vụ và tìm kiếm."""
    ctx.obj = {"folder": folder}


@portal.command()
@click.argument("pdf", type=InputFile(MAX_PDF, pdf=True))
@click.option("--pki", "pki_folder", envvar="VBDT_PKI", default="pki", show_default=True, type=Folder(),
              help="PKI folder the signatures are verified against.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def publish(ctx, pdf: Path, pki_folder: str, as_json: bool) -> None:
    """Đăng văn bản PDF đã ký số (văn bản quy phạm pháp luật, chỉ đạo, điều hành) lên cổng."""
    from simulator.cli.pki import open_pki
    from simulator.portal.store import publish_file

    folder = inputs.writable_folder(ctx.obj["folder"], "--folder")
    row = publish_file(folder, pdf, open_pki(pki_folder))  # the outgoing desk publishes through it too
    if as_json:
        echo_json(row)
    else:
        click.echo(_("Published {type} {code} ({issuer}) at {path}", type=row["type_name"], code=row["number_code"],
                     issuer=row["issuer_name"], path=row["path"]))


@portal.command()
@click.option("--url", "base_url", default=DEFAULT_URL, show_default=True, type=Url(),
              help="The address the site is served at (for the sitemap, the feed and the JSON-LD).")
@click.option("--on", "on", default=None, type=IsoDate(), help="The day the status in force is shown for "
              "(YYYY-MM-DD, default today).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def build(ctx, base_url: str, on: str | None, as_json: bool) -> None:
    """Dựng chuyên mục văn bản của cổng (trang tĩnh) vào thư mục site/."""
    from simulator.portal import build_site

    with _open(ctx) as site:
        built = build_site(site, base_url=base_url, on=date.fromisoformat(on) if on else None)
    if as_json:
        echo_json({"folder": str(built.folder), "documents": built.documents, "pages": built.pages})
    else:
        click.echo(_("Built {n} document pages in {folder}", n=built.documents, folder=built.folder))


@portal.command()
@click.option("--port", default=8765, show_default=True, type=port_type())
@click.pass_context
def serve(ctx, port: int) -> None:
    """Phục vụ cổng đã dựng trên 127.0.0.1, có điểm tìm kiếm /api/tim-kiem (Ctrl+C để dừng)."""
    from simulator.portal import PortalServer
    from simulator.portal.site import SITE

    free_port(port)
    server = PortalServer(Path(ctx.obj["folder"]) / SITE, port)
    click.echo(_("Serving the portal at {url} (Ctrl+C to stop).", url=server.url), err=True)
    click.echo(server.url)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


@portal.command()
@click.argument("query", required=False, default="")
@click.option("--type", "type_", default="", help="Type (key, name or abbreviation: QĐ).")
@click.option("--issuer", default="", help="Issuer: identifier code or words of its name.")
@click.option("--year", type=IntRange(1945, 2100), default=None)
@click.option("--field", "field", type=Choice(_fields()), default=None)
@click.option("--status", type=Choice(list(IN_FORCE)), default=None, help="In force or not.")
@click.option("--limit", type=IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(ctx, query: str, type_: str, issuer: str, year: int | None, field: str | None, status: str | None,
           limit: int, as_json: bool) -> None:
    """Tìm văn bản đã đăng theo số ký hiệu hoặc từ khóa (có dấu hoặc không dấu) và bộ lọc."""
    from simulator.calendar import vn_datetime
    from simulator.portal.search import Query, SearchIndex, record

    q = Query(text=query, type=type_, issuer=issuer, year=year, field=field or "",
              in_force=IN_FORCE.get(status) if status else None, limit=limit)
    with _open(ctx) as site:
        today = date.today()
        total, items = SearchIndex([record(r, today) for r in site.rows()]).search(q)
    if as_json:
        echo_json({"total": total, "items": [{k: v for k, v in r.items() if k not in ("key", "exact")}
                                             for r in items]})
        return
    if not total:
        click.echo(_("No published document matches."))
        return
    click.echo(_("{n} document(s) found.", n=total))
    for rec in items:
        click.echo(f"{rec['number_code']}\t{vn_datetime(rec['issued'])}\t{rec['type_name']}\t{rec['issuer_name']}\t"
                   f"{rec['status_label']}\t{rec['subject']}\t{rec['path']}")


@portal.command()
@click.argument("code")
@click.option("--set", "status", required=True, type=Choice(_statuses()), help="The status a later act gave it.")
@click.option("--reason", default="", help="Which act changed it (e.g. 'Bị thay thế bởi Quyết định 12/QĐ-UBND').")
@click.option("--issuer", default=None, help="Issuer's identifier code, when several issuers used the number.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status(ctx, code: str, status: str, reason: str, issuer: str | None, as_json: bool) -> None:
    """Ghi tình trạng hiệu lực của văn bản đã đăng (hết hiệu lực một phần, ngưng, hết hiệu lực)."""
    from simulator.portal.status import LABELS

    with _open(ctx) as site:
        row = site.record_status(code, status, issuer=issuer, note=reason)
    if as_json:
        echo_json(row)
    else:
        click.echo(_("{code}: {status}. Build the site again to show it.", code=row["number_code"],
                     status=LABELS[status]))
