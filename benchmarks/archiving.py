"""Archiving benchmark: ingest rate, search p95 on a 1-million-document catalogue, audit throughput.

Run: ``python -m benchmarks.archiving [--documents 1000000] [--ingest 200] [--audit-mb 400]``.

- Ingest: documents per second through ``file_documents`` + ``ingest`` (bag with
  sha256/sha512 manifests, PREMIS events, catalogue rows, search row), with
  the fsyncs of the crash-safe store; records of 10 rendered PDFs (~40 kB).
- Search: a catalogue of N synthetic documents (text from the content
  generator recombined: subjects, issuers, signers, first paragraphs), then
  a mix of folded and exact Vietnamese queries, with and without filters,
  through ``Archive.search``; p50 and p95 in milliseconds.
- Audit: MB/s of payload fully validated (every file hashed with sha256 and
  sha512, compared with the manifests and the catalogue).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from simulator.archiving import Archive
from simulator.archiving.metadata import from_document
from simulator.archiving.search import exact_text, facet_tokens, folded_text

QUERIES = [
    "quyet dinh", "QUYẾT ĐỊNH", "quyết định phê duyệt", "dau tu", "đầu tư xây dựng", "ke hoach",
    "chuyển đổi số", "chuyen doi so", "cải cách hành chính", "bao hiem y te", "phòng chống thiên tai",
    "ngân sách", "hoà giải", "hòa giải", "sở", "số", "báo cáo tình hình", "giay moi hop", "đất đai",
    "tiêm chủng", "nông thôn mới", "y te", "văn hóa", "giáo dục", "an ninh trật tự", "UBND-VP", "QĐ-UBND",
    "nguyen van", "trần thị", "thôn", "tuyen truyen", "dân số", "phổ cập", "môi trường", "rừng",
]


def _distinct_copy(src: Path, dst: Path, i: int) -> Path:
    """A byte-distinct copy (a trailing PDF comment), so content addressing does not merge them."""
    dst.write_bytes(src.read_bytes() + f"\n% copy {i}\n".encode())
    return dst


def bench_ingest(work: Path, n_docs: int) -> dict:
    from simulator.documents import ContentGenerator, render_pdf
    from simulator.province import load_province

    province = load_province("Nghệ An")
    unit = next(u for u in province.units if u.level.name == "COMMUNE")
    gen = ContentGenerator(3)
    rendered = []
    for i in range(10):
        doc = gen.document(unit, province, issued=dt.date(2026, 1 + i, 5), number=i + 1)
        rendered.append((render_pdf(doc, work / f"src-{i}.pdf").path, doc))
    copies = []
    for i in range(n_docs):
        src, doc = rendered[i % len(rendered)]
        copies.append((_distinct_copy(src, work / f"copy-{i}.pdf", i), doc))
    arc = Archive(work / "ingest")
    start, cpu = time.perf_counter(), time.process_time()
    per_record = 10
    for r in range(0, n_docs, per_record):
        rec = arc.create_record(file_code=f"{unit.code}.2026.B{r:05d}", title=f"Hồ sơ thử {r}",
                                maintenance="cong_van_trao_doi", creator=unit.name, start_date="2026-01-01")
        arc.file_documents(rec.id, [(path, from_document(doc)) for path, doc in copies[r:r + per_record]])
        arc.ingest(rec.id, agent="Đo hiệu năng")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    arc.close()
    return {"documents": n_docs, "seconds": seconds, "docs_per_s": n_docs / seconds, "cpu_ms_per_doc": cpu / n_docs * 1000}


def _pool(size: int, seed: int) -> list[tuple]:
    from simulator.documents import ContentGenerator
    from simulator.province import load_province

    province = load_province("Nghệ An")
    units = [u for u in province.units if u.level.name != "CENTRAL"]
    gen = ContentGenerator(seed)
    out = []
    for _ in range(size):
        doc = gen.document(gen.rng.choice(units), province)
        body = next((p for p in doc.body if not p.startswith("#")), "")[:100]
        out.append((doc.type.name, doc.code_notation, doc.issuer_name, doc.issuer_code, doc.subject,
                    doc.signer.full_name, body))
    return out


def build_catalogue(folder: Path, n: int, seed: int = 11) -> Path:
    """N synthetic documents straight into the catalogue tables (executemany, indexes built after)."""
    arc = Archive(folder)
    arc.create_record(file_code="000.00.00.H41.2026.SYN", title="Kho tổng hợp để đo tìm kiếm",
                      maintenance="cong_van_trao_doi", creator="UBND tỉnh Nghệ An", start_date="2000-01-01")
    record_id = arc.records()[0].id
    db = arc.db_path
    arc.close()
    rng = random.Random(seed)
    pool = _pool(20_000, seed)
    # every pool string normalised once: (exact, folded) of subject, issuer + signer + body, and the facets
    norm = [((exact_text([subj]), folded_text([subj])),
             (exact_text([iss, sig, body]), folded_text([iss, sig, body])),
             facet_tokens(kind, iss, code_id, None, record_id))
            for kind, _nt, iss, code_id, subj, sig, body in pool]
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF")  # a throw-away bulk load: durability is not the point here
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-400000")
    indexes = con.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' "
                          "AND sql IS NOT NULL").fetchall()
    for (sql,) in indexes:
        con.execute("DROP INDEX " + sql.split()[2])
    day0 = dt.date(2016, 1, 1).toordinal()
    days = [dt.date.fromordinal(day0 + k).isoformat() for k in range(3650)]
    batch = 50_000
    for start in range(0, n, batch):
        docs, fts = [], []
        for i in range(start, min(n, start + batch)):
            k = rng.randrange(len(pool))
            j = rng.randrange(len(pool)) if rng.random() < 0.5 else k  # recombine another subject
            kind, notation, issuer, issuer_code, _s, signer, _b = pool[k]
            subject = pool[j][4]
            code = f"{rng.randint(1, 999):02d}/{notation}"
            day = days[rng.randrange(3650)]
            docs.append((i + 1, record_id, i + 1, f"{i + 1:07d}.pdf", "0" * 64, 1, kind, code, day, issuer,
                         subject, signer, 1, "{}"))
            (subj_e, subj_f), (rest_e, rest_f), facets = norm[j][0], norm[k][1], norm[k][2]
            code_e = code.lower()
            fts.append((i + 1, f"{subj_e} {code_e} {rest_e}", f"{subj_f} {code_e.replace('đ', 'd')} {rest_f}",
                        f"{facets} y{day[:4]} m{day[:4]}{day[5:7]}"))
        con.executemany("INSERT INTO documents (id, record_id, ordinal, filename, sha256, size, signed, type_name, "
                        "code, issued_date, organ_name, subject, signer, pages, metadata) "
                        "VALUES (?,?,?,?,?,?,0,?,?,?,?,?,?,?,?)", docs)
        con.executemany("INSERT INTO doc_search(rowid, exact, folded, facets) VALUES (?,?,?,?)", fts)
        con.commit()
    for (sql,) in indexes:
        con.execute(sql)
    con.execute("INSERT INTO doc_search(doc_search) VALUES ('optimize')")
    con.commit()
    con.close()
    return db


def bench_search(folder: Path, n: int, rounds: int = 3) -> dict:
    t0 = time.perf_counter()
    build_catalogue(folder, n)
    build_s = time.perf_counter() - t0
    arc = Archive(folder)
    issuers = ["Ủy ban nhân dân xã Diễn Kim", "Sở Tài chính"]
    cases = [(q, {}) for q in QUERIES] + [(q, {"date_from": "2024-01-01", "date_to": "2024-12-31"})
                                          for q in QUERIES[:10]] + [(q, {"doc_type": "Quyết định"})
                                                                    for q in QUERIES[10:20]]
    cases += [(q, {"issuer": issuers[i % 2]}) for i, q in enumerate(QUERIES[:6])]
    for q, f in cases[:5]:  # warm the page cache once
        arc.search(q, **f)
    times, hits = [], 0
    for _ in range(rounds):
        for q, f in cases:
            t = time.perf_counter()
            hits += len(arc.search(q, **f))
            times.append((time.perf_counter() - t) * 1000)
    arc.close()
    times.sort()
    return {"documents": n, "build_s": build_s, "queries": len(times), "p50_ms": statistics.median(times),
            "p95_ms": times[int(0.95 * (len(times) - 1))], "max_ms": times[-1],
            "db_mb": (folder / "catalogue.sqlite").stat().st_size / 1e6}


def bench_audit(work: Path, total_mb: int) -> dict:
    """Records whose PDFs carry large incompressible streams, then a full audit."""
    import pikepdf

    arc = Archive(work / "audit")
    size = 8 * 1024 * 1024
    n = max(1, total_mb * 1024 * 1024 // size)
    rng = random.Random(5)
    for r in range(0, n, 5):
        rec = arc.create_record(file_code=f"000.01.40.H41.2026.A{r:04d}", title=f"Hồ sơ bản đồ {r}",
                                maintenance="cong_trinh_nhom_a", creator="UBND xã", start_date="2026-01-01")
        for i in range(r, min(n, r + 5)):
            pdf = pikepdf.new()
            pdf.add_blank_page()
            pdf.Root.BigData = pdf.make_stream(rng.randbytes(size))
            path = work / f"big-{i}.pdf"
            pdf.save(path, compress_streams=False)
            arc.file_document(rec.id, path, {"type_name": "Bản đồ", "issued_date": "2026-02-01",
                                             "organ_name": "UBND xã", "subject": f"Bản đồ địa chính tờ {i}"})
            path.unlink()
        arc.ingest(rec.id, agent="Đo hiệu năng")
    report = arc.audit()
    arc.close()
    assert report.success, report.message
    seconds = (report.finished - report.started).total_seconds()
    return {"mb": report.bytes / 1e6, "seconds": seconds, "mb_per_s": report.bytes / 1e6 / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--ingest", type=int, default=200)
    parser.add_argument("--audit-mb", type=int, default=400)
    parser.add_argument("--work", default=None, help="Work folder (default: a temporary folder, removed after).")
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-archiving-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    try:
        ing = bench_ingest(work, args.ingest)
        print(f"ingest: {ing['documents']} documents in {ing['seconds']:.1f} s = {ing['docs_per_s']:.1f} documents/s "
              f"({ing['cpu_ms_per_doc']:.1f} ms CPU per document)")
        aud = bench_audit(work, args.audit_mb)
        print(f"audit: {aud['mb']:.0f} MB in {aud['seconds']:.2f} s = {aud['mb_per_s']:.0f} MB/s "
              f"(full validation, sha256 + sha512)")
        s = bench_search(work / "search", args.documents)
        print(f"search: catalogue of {s['documents']:,} documents built in {s['build_s']:.0f} s "
              f"({s['db_mb']:.0f} MB); {s['queries']} queries: p50 {s['p50_ms']:.1f} ms, "
              f"p95 {s['p95_ms']:.1f} ms, max {s['max_ms']:.1f} ms")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
