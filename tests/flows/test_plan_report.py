"""The quarterly report in the plan's own layout (issue 16, part 6).

A real run of the world (one district, a partial period) written as the
Department's Báo cáo: every row of plan 338/KH-UBND in the PDF's text and
in the CSV, the section headings, a partial period that says what it covers
and never "Cả năm", the Decree-30 form read back from the PDF, and the
signatures verified with the training PKI (TOTAL_PASSED).
"""

from __future__ import annotations

import copy
import csv
import json
import math
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from simulator.flows.plan_table import SECTIONS, TEXT, plan_rows, row_ids
from simulator.i18n import set_language

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def vietnamese():
    set_language("vi")
    yield
    set_language(None)


@pytest.fixture(scope="module")
def partial():
    """Two replications of plan-2020 in one district, 60 of the year's days (a partial period)."""
    from simulator.flows import Scenario, run_replications

    sc = Scenario.load(ROOT / "scenarios" / "plan-2020.yaml").override({"only_district": "Kỳ Sơn"})
    return sc, run_replications(sc, 2, 0, 1, None, days=60)


@pytest.fixture(scope="module")
def written(partial, tmp_path_factory):
    from simulator.flows.plan_report_doc import write

    sc, results = partial
    out = tmp_path_factory.mktemp("plan-report")
    return write(results, out)


def _pdf_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    finally:
        pdf.close()


def test_every_row_of_the_plan_is_in_the_pdf_and_the_csv(written):
    text = " ".join(_pdf_pages(written["pdf"]))
    with open(written["csv"], encoding="utf-8-sig", newline="") as fh:
        ids = [row["id"] for row in csv.DictReader(fh)]
    expected = row_ids()
    assert {"I.3", "II.2", "III.2", "I.4a", "I.4b", "II.4a", "II.4b", "III.4a", "III.4b"} <= set(expected)
    for rid in expected:
        assert f" {rid} " in f" {text} ", rid
    assert [i for i in ids if i != "cost"] == list(expected)


def test_the_section_headings_and_the_text_rows_are_there(written):
    text = " ".join(_pdf_pages(written["pdf"]))
    md = written["md"].read_text(encoding="utf-8")
    for section in SECTIONS:
        assert section.vi in text and section.vi in md, section.id
    for row in plan_rows():
        if row.kind == TEXT:
            assert row.vi[:40] in md
    assert md.count("Theo quy định") >= 9   # three text rows, three columns each


def test_a_partial_period_says_what_it_covers_and_never_whole_year(written, partial):
    from simulator.flows.report import build_report

    _sc, results = partial
    pages = _pdf_pages(written["pdf"])
    files = [written[k].read_text(encoding="utf-8-sig") for k in ("md", "html", "csv")]
    for text in (*pages, *files):
        assert "Cả năm" not in text
    assert "01/01–29/02/2020 (37 ngày làm việc, thuộc Quý I/2020)" in files[0]
    assert "từ ngày 01/01/2020 đến ngày 29/02/2020" in pages[0]
    full = build_report(results, written["md"].parent, charts=False).markdown()
    assert "Cả năm" not in full


def test_a_whole_year_and_its_quarters_are_named_so():
    from simulator.flows import Scenario, run_replications
    from simulator.flows.plan_report import spans

    sc = Scenario.load(ROOT / "scenarios" / "plan-2020.yaml").override({"only_district": "Kỳ Sơn"})
    results = run_replications(sc, 1, 0, 1, None)
    assert [s.label for s in spans(results)] == ["Quý I/2020", "Quý II/2020", "Quý III/2020", "Quý IV/2020",
                                                  "Cả năm 2020"]


def test_the_pdf_verifies_total_passed_with_the_training_pki(written):
    pki = written["pdf"].parent / "pki"
    done = subprocess.run([sys.executable, "-m", "simulator", "verify", str(written["pdf"]), "--pki", str(pki),
                           "--json"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["indication"] == "TOTAL_PASSED"
    assert [s["role"] for s in report["signatures"]] == ["person", "seal"]
    assert all(s["indication"] == "TOTAL_PASSED" for s in report["signatures"])
    assert report["decree30"]["ok"]
    assert report["signatures"][1]["signer"] == "Sở Thông tin và Truyền thông"


def test_the_bao_cao_has_the_decree_30_form(written):
    pages = _pdf_pages(written["pdf"])
    first, text = pages[0], " ".join(pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "Độc lập - Tự do - Hạnh phúc" in first
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in first and "ỦY BAN NHÂN DÂN" in first
    assert "Số: 01/BC-STTTT" in first
    assert "Nghệ An, ngày 02 tháng 3 năm 2020" in first
    assert "BÁO CÁO" in first
    assert "Kết quả thực hiện Kế hoạch số 338/KH-UBND về gửi, nhận văn bản điện tử" in first
    assert "Nơi nhận:" in text and "- Ủy ban nhân dân tỉnh Nghệ An (để báo cáo);" in text
    assert "- Bộ Thông tin và Truyền thông (để báo cáo);" in text
    assert "- Lưu: VT, CNTT." in text and "GIÁM ĐỐC" in text
    assert "PHỤ LỤC" in text and "(Kèm theo Báo cáo số 01/BC-STTTT ngày 02/03/2020" in text
    for head in ("Hiện trạng (2018)", "Năm 2019", "Năm 2020", "Đánh giá so với năm 2020", "Nguyên nhân"):
        assert head in text, head


def test_the_department_follows_the_date():
    from simulator.flows.plan_report_doc import department

    assert department(date(2020, 4, 1))[1].name == "Sở Thông tin và Truyền thông"
    assert department(date(2025, 4, 1))[1].name == "Sở Khoa học và Công nghệ"
    assert department(date(2026, 4, 1))[1].name == "Sở Khoa học và Công nghệ"


def test_verdicts_and_causes_are_stated(written, partial):
    from simulator.flows.plan_report import build

    _sc, results = partial
    report = build(results)
    by_id = {line.row.id: line for line in report.lines}
    measured = [line for line in report.lines if line.verdict is not None]
    assert measured and all(line.why for line in measured)
    assert by_id["I.4b"].values[-1].mean == pytest.approx(1 - by_id["I.4a"].values[-1].mean)
    assert sum(report.counts().values()) == 17   # the plan's 17 measured rows, signed/scanned once
    md = written["md"].read_text(encoding="utf-8")
    assert any(v in md for v in ("| Đạt |", "| Chưa đạt |", "| Chưa chắc chắn |"))


def _with(results, **changes):
    """The same replications with some kpis changed (a constructed case)."""
    from simulator.flows.replications import Results

    runs = copy.deepcopy(results.runs)
    for k, run in enumerate(runs):
        for key, values in changes.items():
            run["kpis"][key] = values[k]
    return Results(results.scenario, results.seed, runs)


def test_the_warm_up_never_exceeds_the_days_simulated(partial, tmp_path):
    from simulator.flows.plan_report import build
    from simulator.flows.report import build_report

    _sc, results = partial
    noisy = _with(results, warmup_days=[5.0, 50.0])   # a t interval over two values reaches far past 60
    assert "(khoảng tin cậy 95% 0–60) trong 60 ngày mô phỏng" in build(noisy).warmup
    line = next(x for x in build_report(noisy, tmp_path, charts=False).markdown().splitlines() if "MSER-5 (" in x)
    assert float(line.split("|")[3].split("–")[1].strip().replace(".", "").replace(",", ".")) <= 60


def test_costs_per_quarter_when_the_world_measures_them(partial):
    from simulator.flows.plan_report import build
    from simulator.flows.plan_report_files import cost_rows

    _sc, results = partial
    rows = cost_rows(build(results))
    assert [r[0] for r in rows] == ["Đầu tư", "Vận hành: giấy, in, bưu chính, thời gian cán bộ"]
    operating = results.interval("cost.operating").mean / 1e6
    assert rows[1][1].startswith(f"{operating:,.1f}".replace(",", "_").replace(".", ",").replace("_", "."))
    old_world = _with(results, **{"cost.operating": [math.nan, math.nan], "cost.investment": [math.nan, math.nan]})
    for run in old_world.runs:   # a world that measures no quarterly costs: the period's operating costs
        for key in [k for k in run["kpis"] if k.startswith("cost.")]:
            del run["kpis"][key]
    assert cost_rows(build(old_world))[-1][0] == "Tổng chi phí vận hành"


def test_a_run_over_a_quarter_and_a_part_names_both():
    from simulator.flows import Scenario, run_replications
    from simulator.flows.plan_report import spans

    sc = Scenario.load(ROOT / "scenarios" / "plan-2020.yaml").override({"only_district": "Kỳ Sơn"})
    labels = [s.label for s in spans(run_replications(sc, 1, 0, 1, None, days=120))]
    assert labels[0] == "Quý I/2020" and labels[1].startswith("01/04–29/04/2020 (")
    assert "thuộc Quý II/2020" in labels[1]
    assert labels[2].startswith("01/01–29/04/2020 (") and len(labels) == 3


def test_the_planner_dashboard_writes_the_signed_report(tmp_path):
    from simulator.lab.widgets import PlannerDashboard
    from simulator.signing import TrainingPKI, verify

    desk = PlannerDashboard(days=5, replications=2, seed=11, report_folder=tmp_path / "bc")
    assert desk.run(desk.write_report) is None and "chạy kịch bản trước" in desk.last_message
    desk.run(desk.simulate)
    paths = desk.run(desk.write_report)
    assert {p.name for p in paths.values()} == {"bao-cao-quy.pdf", "bao-cao-quy.md", "bao-cao-quy.html",
                                               "bao-cao-quy.csv"}
    assert verify(paths["pdf"], TrainingPKI.open(tmp_path / "bc" / "pki")).indication == "TOTAL_PASSED"
    assert "write(results" in desk.last_call and "bao-cao-quy.pdf" in desk.last_message


def test_a_report_after_march_2025_comes_from_the_department_of_science_and_technology(partial):
    """The same figures dated 2025: the Department of Science and Technology reports (DOMAIN.md §1)."""
    from simulator.flows.plan_report import build
    from simulator.flows.plan_report_doc import document
    from simulator.flows.replications import Results

    _sc, results = partial
    moved = Results(results.scenario.override({"period.start": "2025-01-01"}), results.seed, results.runs)
    doc, appendix = document(build(moved))
    assert doc.issued_date == date(2025, 3, 3)   # 01/03/2025 is a Saturday: the Monday after
    assert doc.issuer_name == "Sở Khoa học và Công nghệ" and doc.number_code == "01/BC-SKHCN"
    assert "Bộ Khoa học và Công nghệ (để báo cáo)" in [r.name for r in doc.recipients]
    assert "từ ngày 01/01/2025 đến ngày 01/03/2025" in doc.subject and "của Sở Khoa học và Công nghệ" in appendix.note


def test_a_further_table_never_leaves_its_title_alone_at_a_page_foot(partial, tmp_path):
    """However long the main table, the costs' title shares its page with the costs' first row."""
    import dataclasses

    from simulator.documents.tables import render_with_appendix
    from simulator.flows.plan_report import build
    from simulator.flows.plan_report_doc import document

    _sc, results = partial
    doc, appendix = document(build(results))
    for k in range(12, len(appendix.rows) + 1, 2):
        path = render_with_appendix(doc, dataclasses.replace(appendix, rows=appendix.rows[:k]), tmp_path / "a.pdf").path
        page = next(p for p in _pdf_pages(path) if "Chi phí (triệu đồng" in p)
        assert "Đầu tư" in page, k


def test_the_proposals_follow_the_causes_of_the_rows_not_met(partial):
    """Each cause keeping a row from its target gets its proposal, naming the rows it would move."""
    from simulator.flows.indicators import NOT_MET
    from simulator.flows.plan_report import CAUSES, build
    from simulator.flows.plan_report_doc import PROPOSALS, document

    assert set(PROPOSALS) == set(CAUSES)
    _sc, results = partial
    report = build(results)
    doc, _appendix = document(report)
    body = " ".join(doc.body)
    proposals = body.split("III. ĐỀ XUẤT, KIẾN NGHỊ", 1)[1]
    not_met = [line for line in report.lines if line.verdict == NOT_MET and not line.row.complement]
    assert not_met and all(line.cause for line in not_met)
    for line in not_met:
        text = PROPOSALS[line.cause]
        assert text in proposals
        assert line.row.id.rstrip("a") in proposals.split(text, 1)[1].split(").", 1)[0]
    unused = set(CAUSES) - {line.cause for line in report.lines if line.verdict not in (None, "met")}
    assert all(PROPOSALS[c] not in proposals for c in unused)


def test_a_report_dated_before_the_plan_reports_the_state_of_things(partial):
    """A 2018 baseline's first quarter is reported on 02/04/2018, before plan 338/KH-UBND (30/5/2018)."""
    from simulator.flows.plan_report import build
    from simulator.flows.plan_report_doc import document
    from simulator.flows.replications import Results

    _sc, results = partial
    early = Results(results.scenario.override({"period.start": "2018-01-01", "period.days": 90}), results.seed,
                    results.runs)
    doc, _appendix = document(build(early))
    assert doc.issued_date == date(2018, 4, 2)
    assert doc.subject.startswith("Hiện trạng gửi, nhận văn bản điện tử, quý I năm 2018")
    assert not doc.body[0].startswith("Thực hiện Kế hoạch") and "Phục vụ xây dựng kế hoạch" in doc.body[0]
    later, _a = document(build(results))
    assert later.body[0].startswith("Thực hiện Kế hoạch số 338/KH-UBND ngày 30/5/2018")
