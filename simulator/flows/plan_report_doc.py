"""The quarterly report as the Department sends it: a Decree-30 Báo cáo, PDF/A, signed and sealed.

The Department of Information and Communications (from 1/3/2025 the
Department of Science and Technology, which took over its duties: the
province's agencies by date, :mod:`simulator.province.history`) reports to
the provincial People's Committee every quarter on plan 338/KH-UBND
(DOMAIN.md §7). The report is dated the first working day after the period
it covers, issued by the department of that date, rendered by the same
renderer as every document (:mod:`simulator.documents`) with the plan's table
as its appendix (:mod:`simulator.documents.tables`), then signed the way the
lab signs an outgoing document (:mod:`simulator.lab.outgoing`): the director
(person), then the clerk's agency seal, on the report's own date, with the
training PKI. ``vbdt verify`` reads it like any other document.

The department's register of outgoing documents is not simulated: the
report takes the number of its quarter in the year (01 for the first).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path

from simulator.calendar import VN_TZ, default_calendar
from simulator.documents.tables import LANDSCAPE_WIDTH, SECTION
from simulator.flows.indicators import MET, NOT_MET, UNCERTAIN
from simulator.flows.plan_report import PlanReport, build, label_of, lagging_districts, value_text
from simulator.flows.plan_report_files import csv_text, head, markdown, page, table
from simulator.i18n import current_forced_language, current_language, set_language, translator

_ = translator("planreport")
PASSPHRASE = "training-department"   # the simulated department's keys: part of the world, not a secret
DEPARTMENTS = ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ")
MINISTRIES = ("Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ")   # each department's ministry
PLAN = "Kế hoạch số 338/KH-UBND ngày 30/5/2018 của Ủy ban nhân dân tỉnh"
PLAN_DATE = date(2018, 5, 30)
# What the department proposes for each cause that keeps a row from its target (plan_report.CAUSES).
PROPOSALS = {
    "no_system": "Trang bị hệ thống quản lý văn bản và điều hành cho các cơ quan, đơn vị còn thiếu",
    "exception": "Rà soát các trường hợp còn gửi bản giấy theo quy định; phần này không giảm được bằng đầu tư",
    "habit": "Tập huấn, hướng dẫn cán bộ gửi văn bản điện tử, bỏ thói quen gửi kèm hoặc in bản giấy",
    "certificates": "Cấp chứng thư số cho lãnh đạo có thẩm quyền ký còn thiếu",
    "signing": "Tập huấn ký số cho lãnh đạo đã có chứng thư số",
    "portal": "Đăng tải đầy đủ văn bản quy phạm pháp luật, chỉ đạo điều hành trên cổng thông tin điện tử",
    "archive": "Số hóa hồ sơ, tài liệu giấy khi lập hồ sơ và nộp lưu",
    "equipment": "Đầu tư kết nối liên thông, hệ thống, chứng thư số, hộp thư công vụ và máy tính còn thiếu",
}
ROW_KEY = re.compile(r"^[IV]+\.\d")
SIGNED_AT = time(9, 0)   # the director signs at nine, the clerk seals five minutes later


@contextmanager
def _vietnamese():
    """A Báo cáo to the People's Committee is written in Vietnamese, whatever the user reads."""
    before = current_forced_language()
    set_language("vi")
    try:
        yield
    finally:
        set_language(before)


def report_date(report: PlanReport) -> date:
    """The first working day after the period the report covers."""
    return default_calendar().next_working_day(report.period.end)


def department(on: date):
    """The province's committee and the department reporting on the plan, as they stood ``on`` that day."""
    from simulator.province import load_province

    province = load_province("Nghệ An", on=on)
    for name in DEPARTMENTS:
        for unit in province.departments:
            if unit.name == name:
                return province, unit
    raise LookupError(f"no department for plan 338/KH-UBND on {on}")


def _quarter_word(report: PlanReport) -> str:
    return report.period.phrase_vi


def _body(report: PlanReport, dept_name: str, lagging: list[str], before_plan: bool) -> tuple[str, ...]:
    c = report.counts()
    total = sum(c.values())
    counted = [line for line in report.lines if line.verdict is not None and not line.row.complement]
    not_met = [line for line in counted if line.verdict == NOT_MET]
    uncertain = [line.row.id for line in counted if line.verdict == UNCERTAIN]
    paras = [
        (f"Thực hiện {PLAN} về việc thực hiện gửi, nhận văn bản điện tử trong các cơ quan nhà nước trên địa "
         f"bàn tỉnh Nghệ An đến năm 2020, {dept_name} báo cáo kết quả thực hiện các chỉ tiêu của Kế hoạch "
         f"{_quarter_word(report)} như sau:") if not before_plan else
        (f"Phục vụ xây dựng kế hoạch gửi, nhận văn bản điện tử trong các cơ quan nhà nước trên địa bàn tỉnh Nghệ "
         f"An đến năm 2020, {dept_name} báo cáo hiện trạng {_quarter_word(report)} theo các chỉ tiêu dự kiến "
         f"của Kế hoạch như sau:"),
        "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        f"Số liệu của kỳ báo cáo được lấy từ mô hình mô phỏng luồng văn bản của tỉnh (kịch bản "
        f"{report.scenario}, {report.replications} lần lặp, hạt giống {report.seed}, cơ cấu "
        f"{report.structure}); mỗi số là giá trị trung bình kèm khoảng tin cậy 95%, so với cột năm "
        f"{report.plan_year} của Kế hoạch. Kết quả: {c['met']}/{total} chỉ tiêu đạt, {c['not_met']} chỉ tiêu "
        f"chưa đạt, {c['uncertain']} chỉ tiêu chưa chắc chắn (khoảng tin cậy chứa chỉ tiêu). Chi tiết từng "
        f"chỉ tiêu, theo đúng bố cục bảng của Kế hoạch, tại Phụ lục kèm theo.",
    ]
    if not_met:
        paras.append("Chỉ tiêu chưa đạt và nguyên nhân: " + "; ".join(
            f"{line.row.id.rstrip('a')}: {line.why}" for line in not_met) + ".")
    if uncertain:
        paras.append("Chỉ tiêu chưa chắc chắn, cần thêm lần lặp để kết luận: "
                     + ", ".join(rid.rstrip("a") for rid in uncertain) + ".")
    paras += [
        "II. ĐÁNH GIÁ",
        report.warmup + " Các số liệu là kết quả mô phỏng dùng cho đào tạo và lập kế hoạch, không phải số "
        "liệu thống kê; cột năm 2019 và 2020 của Kế hoạch là chỉ tiêu dự kiến.",
    ]
    rows = [(key, text) for key, text in report.readings if ROW_KEY.match(key)]
    for key, text in rows[:3]:  # how the scenario reads the table's inconsistent rows
        paras.append(f"Về chỉ tiêu {key}: {text}")
    paras.append("III. ĐỀ XUẤT, KIẾN NGHỊ")
    causes = []
    for line in not_met + [line for line in counted if line.verdict == UNCERTAIN]:
        if line.cause and line.cause not in causes:
            causes.append(line.cause)
    for k, cause in enumerate(causes, 1):
        rows_of = ", ".join(dict.fromkeys(line.row.id.rstrip("a") for line in counted
                                          if line.cause == cause and line.verdict != MET))
        paras.append(f"{k}. {PROPOSALS[cause]} (chỉ tiêu {rows_of}).")
    if lagging:
        paras.append(f"{len(causes) + 1}. Làm trước ở các huyện gửi điện tử ít nhất: {', '.join(lagging)}.")
    if not causes and not lagging:
        paras.append("Duy trì các điều kiện hiện có; tiếp tục theo dõi các chỉ tiêu theo quý.")
    paras.append(f"{dept_name} kính báo cáo Ủy ban nhân dân tỉnh xem xét, chỉ đạo./.")
    return tuple(paras)


def document(report: PlanReport, lagging: list[str] = ()):
    """The Báo cáo (numbered, dated the first working day after the period) and its appendix table."""
    from simulator.documents import ContentGenerator, Document, Recipient

    day = report_date(report)
    province, dept = department(day)
    committee = province.committee
    quarter = (report.period.end.month - 1) // 3 + 1
    before_plan = day < PLAN_DATE   # a baseline reported before the plan existed reports the state of things
    signer = ContentGenerator(report.seed).signer(dept, deputy=False, own_authority=True)
    doc = Document(
        issuer_code=dept.code, issuer_name=dept.name, issuer_abbreviation=dept.abbreviation, doc_type="BC",
        subject=(f"Hiện trạng gửi, nhận văn bản điện tử, {_quarter_word(report)} (số liệu mô phỏng)" if before_plan
                 else f"Kết quả thực hiện Kế hoạch số 338/KH-UBND về gửi, nhận văn bản điện tử, "
                      f"{_quarter_word(report)} (số liệu mô phỏng)"),
        issued_date=day, place=dept.place, signer=signer,
        recipients=(Recipient(f"{committee.name} (để báo cáo)", committee.code),
                    Recipient(f"{MINISTRIES[DEPARTMENTS.index(dept.name)]} (để báo cáo)"),
                    Recipient("Văn phòng Ủy ban nhân dân tỉnh"), Recipient("Lãnh đạo Sở")),
        body=_body(report, dept.name, lagging, before_plan), number=quarter, parent_name=committee.name,
        filed_copies="VT, CNTT")   # the drafting unit: the department's IT office (Phòng Công nghệ thông tin)
    return doc, _appendix(report, doc, dept.name)


WIDTHS = {"id": 11.0, "label": 62.0, "target": 15.0, "value": 26.0, "verdict": 17.0}
NOTE = ("Hiện trạng: cột năm 2018 của Kế hoạch. Đánh giá theo khoảng tin cậy 95% ở độ chính xác của bảng (phần trăm "
        "nguyên): Đạt khi cả khoảng đạt chỉ tiêu năm {year}, Chưa đạt khi cả khoảng không đạt, Chưa chắc chắn khi "
        "khoảng chứa chỉ tiêu. Dòng chữ (I.3, II.2, III.2): Kế hoạch nêu quy định, không nêu tỷ lệ.")


def _pick(rows, keep: list[int]) -> tuple:
    """The table's rows with only the columns ``keep`` (a section row keeps its two cells)."""
    return tuple((kind, tuple(cells) if kind == SECTION else tuple(cells[i] for i in keep)) for kind, cells in rows)


def _appendix(report: PlanReport, doc, dept_name: str):
    """The appendix: the plan's table over the whole period (verdict and cause), then by quarter (one
    table per calendar year, so every column stays readable on A4 landscape), then the costs."""
    from simulator.documents.tables import Appendix

    rows, cols = table(report, mark_text_rows=False), head(report)
    n = len(report.spans)
    period, verdict, why = 4 + n, 5 + n, 6 + n
    fixed = [0, 1, 2, 3, 4]
    w = WIDTHS
    base = (w["id"], w["label"], w["target"], w["target"], w["target"])
    main_w = (*base, w["value"], w["verdict"])
    main = dict(head=tuple(cols[i] for i in fixed + [period, verdict, why]),
                widths=(*main_w, LANDSCAPE_WIDTH - sum(main_w)), rows=_pick(rows, fixed + [period, verdict, why]),
                align=("CENTER", "LEFT", *("CENTER",) * 5, "LEFT"))
    extra = []
    years: dict[int, list[int]] = {}
    for i, span in enumerate(report.spans[:-1]):
        years.setdefault(span.end.year, []).append(5 + i)
    for year, idx in years.items():
        extra.append(Appendix(title=f"Theo quý, năm {year}", note="", head=tuple(cols[i] for i in fixed + idx),
                              widths=(*base, *(w["value"],) * len(idx)), rows=_pick(rows, fixed + idx)))
    extra.append(Appendix(title="Chi phí (triệu đồng; trung bình và khoảng tin cậy 95%)", note="",
                          head=("Kỳ", *(name for name, _v in report.costs)),
                          widths=(62.0, *(45.0,) * len(report.costs)), align=("LEFT", *("RIGHT",) * len(report.costs)),
                          rows=tuple(("row", (span.label, *(value_text(values[i], money=True)
                                                            for _name, values in report.costs)))
                                     for i, span in enumerate(report.spans))))
    return Appendix(title="KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA KẾ HOẠCH SỐ 338/KH-UBND",
                    note=f"(Kèm theo Báo cáo số {doc.number_code} ngày {doc.issued_date:%d/%m/%Y} của {dept_name})",
                    footnotes=(NOTE.format(year=report.plan_year),), extra=tuple(extra), **main)


def _pki(folder: Path, start: date, end: date):
    from simulator.signing import TrainingPKI

    if (folder / "pki.json").is_file():
        return TrainingPKI.open(folder)
    first = datetime.combine(start, time(), VN_TZ)
    last = datetime.combine(max(end, date.today()), time(), VN_TZ)
    # valid over the world's period and up to two years past today, so the report verifies now as then
    return TrainingPKI.create(folder, valid_from=first - timedelta(days=365), valid_to=last + timedelta(days=730))


def _holder(pki, kind: str, unit, at: datetime, signer=None) -> Path:
    """The department's seal, or its director's certificate, valid at ``at``: issued on first use."""
    for info in pki.list():
        if info.kind.value == kind and info.unit_code == unit.code and info.status(at) == "valid" and (
                signer is None or info.full_name == signer.full_name):
            return Path(info.p12)
    if kind == "seal":
        return pki.issue_seal(unit.name, unit.code, PASSPHRASE)
    return pki.issue_person(signer.full_name, signer.position, unit.name, unit.code, PASSPHRASE)


def signed_pdf(report: PlanReport, path: Path, pki_folder: Path, lagging: list[str] = ()) -> Path:
    """Render the Báo cáo, the director signs it, the clerk seals it: ``path`` (PDF/A-2b, PAdES)."""
    from simulator.documents.tables import render_with_appendix
    from simulator.signing import sign_person, sign_seal

    with _vietnamese():
        doc, appendix = document(report, lagging)
    _province, dept = department(doc.issued_date)
    pki = _pki(Path(pki_folder), report.spans[0].start, doc.issued_date)
    at = datetime.combine(doc.issued_date, SIGNED_AT, VN_TZ)
    person = _holder(pki, "person", dept, at, doc.signer)
    seal = _holder(pki, "seal", dept, at)
    work = path.with_name(path.stem + ".unsigned.pdf")
    render_with_appendix(doc, appendix, work)
    signed = path.with_name(path.stem + ".person.pdf")
    sign_person(work, signed, person, PASSPHRASE, pki, at=at)
    sign_seal(signed, path, seal, PASSPHRASE, pki, at=at + timedelta(minutes=5))
    work.unlink()
    signed.unlink()
    return path


def write(results, out_dir, *, pki_folder=None) -> dict[str, Path]:
    """Write the quarterly report in the plan's layout to ``out_dir``: ``bao-cao-quy.pdf`` (signed),
    ``.md``, ``.html`` and ``.csv``. ``pki_folder``: the training PKI to sign with (created in
    ``out_dir/pki`` if missing)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = build(results)
    title = _("Quarterly report on plan 338/KH-UBND: {period}", period=report.period.label)
    paths = {"md": out / "bao-cao-quy.md", "html": out / "bao-cao-quy.html", "csv": out / "bao-cao-quy.csv",
             "pdf": out / "bao-cao-quy.pdf"}
    paths["md"].write_text(markdown(report, title), encoding="utf-8")
    paths["html"].write_text(page(report, title, current_language()), encoding="utf-8")
    paths["csv"].write_text(csv_text(report), encoding="utf-8-sig")
    if current_language() != "vi":
        with _vietnamese():
            report = build(results)  # its causes are phrased as the table is built
    signed_pdf(report, paths["pdf"], Path(pki_folder) if pki_folder else out / "pki", lagging_districts(results))
    return paths


__all__ = ["DEPARTMENTS", "PASSPHRASE", "department", "document", "label_of", "report_date", "signed_pdf", "write"]
