"""Real signed documents for the portal tests: a training PKI made at run time, Decree-30 documents
rendered by simulator.documents and signed by the person with authority and the agency seal (as
tests/signing does), and the refusals' material (unsigned, unsealed, a công văn, a foreign PKI)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

PASS = "mat-khau-1"
BASE_URL = "http://127.0.0.1:8765/"
BUILT_ON = date(2026, 4, 10)


@dataclass(frozen=True)
class Signed:
    doc: object          # the simulator.documents.Document that was rendered
    pdf: Path            # signed by the person, then sealed


@dataclass(frozen=True)
class Material:
    pki: object
    decision: Signed     # the province's Quyết định (lĩnh vực đất đai, in force from a stated date)
    directive: Signed    # a commune's Chỉ thị (lĩnh vực y tế, in force on signing)
    plan: Signed         # the province's Kế hoạch of another year
    letter: Signed       # a công văn: signed and sealed, but not a legal document
    unsigned: Path
    unsealed: Path       # the person signed, the clerk did not seal
    foreign: Path        # signed and sealed with keys of a PKI nobody here trusts
    duplicate: Signed    # another document with the decision's number, year and issuer


def _units():
    from simulator.province import load_province

    province = load_province()
    top = next(u for u in province.units if u.level.name == "PROVINCE")
    commune = next(u for u in province.units if u.level.name == "COMMUNE")
    return province, top, commune


def _sign(pki, doc, folder: Path, name: str, unit) -> Path:
    from simulator.documents.render import render_pdf
    from simulator.signing import sign_person, sign_seal

    person = pki.issue_person(doc.signer.full_name, doc.signer.position, unit.name, unit.code, PASS)
    seal = pki.issue_seal(unit.name, unit.code, PASS)
    render_pdf(doc, folder / f"{name}-nhap.pdf")
    sign_person(folder / f"{name}-nhap.pdf", folder / f"{name}-nguoi-ky.pdf", person, PASS, pki)
    return sign_seal(folder / f"{name}-nguoi-ky.pdf", folder / f"{name}.pdf", seal, PASS, pki)


@pytest.fixture(scope="session")
def material(tmp_path_factory) -> Material:
    from simulator.documents.content import ContentGenerator
    from simulator.documents.render import render_pdf
    from simulator.signing import TrainingPKI

    folder = tmp_path_factory.mktemp("portal-material")
    pki = TrainingPKI.create(folder / "pki")
    province, top, commune = _units()
    gen = ContentGenerator(21)
    base = gen.document(top, province, "quyet_dinh", issued=date(2026, 3, 5), number=5)
    decision = replace(base, subject="Về việc ban hành quy định bồi thường, hỗ trợ khi Nhà nước thu hồi đất",
                       body=("Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;",
                             "Theo đề nghị của Giám đốc Sở Nông nghiệp và Môi trường về lĩnh vực đất đai.",
                             "#QUYẾT ĐỊNH:",
                             "Điều 1. Ban hành kèm theo Quyết định này Quy định bồi thường, hỗ trợ, tái định cư.",
                             "Điều 2. Quyết định này có hiệu lực kể từ ngày 20 tháng 3 năm 2026./."))
    directive = replace(gen.document(commune, province, "chi_thi", issued=date(2026, 4, 2), number=3),
                        subject="Về việc tăng cường phòng, chống dịch sốt xuất huyết trên địa bàn",
                        body=("Thời gian qua, công tác phòng, chống dịch trong lĩnh vực y tế đã đạt nhiều kết quả.",
                              "Thủ trưởng các cơ quan, đơn vị nghiêm túc thực hiện Chỉ thị này.",
                              "Chỉ thị này có hiệu lực kể từ ngày ký./."))
    plan = gen.document(top, province, "ke_hoach", issued=date(2025, 11, 20), number=412)
    letter = gen.document(top, province, "cong_van", issued=date(2026, 3, 6), number=77)
    duplicate = replace(decision, subject="Về việc giao đất cho Ủy ban nhân dân xã", body=decision.body[:3])
    made = {}
    for name, doc, unit in (("quyet-dinh", decision, top), ("chi-thi", directive, commune), ("ke-hoach", plan, top),
                            ("cong-van", letter, top), ("trung-so", duplicate, top)):
        made[name] = Signed(doc, _sign(pki, doc, folder, name, unit))
    unsigned = folder / "chua-ky.pdf"
    render_pdf(replace(decision, number=6), unsigned)
    other = TrainingPKI.create(folder / "foreign-pki", name="Nơi khác")
    foreign = _sign(other, replace(decision, number=7), folder, "gia-mao", top)
    return Material(pki=pki, decision=made["quyet-dinh"], directive=made["chi-thi"], plan=made["ke-hoach"],
                    letter=made["cong-van"], unsigned=unsigned, unsealed=folder / "quyet-dinh-nguoi-ky.pdf",
                    foreign=foreign, duplicate=made["trung-so"])


@pytest.fixture(scope="session")
def published(material, tmp_path_factory) -> Path:
    """A portal folder with the decision, the directive and the plan (recorded as expired) published, and the
    site built as of 10/04/2026."""
    from simulator.portal import Portal, build_site

    folder = tmp_path_factory.mktemp("portal") / "cong-thong-tin"
    with Portal(folder, create=True) as portal:
        for signed in (material.decision, material.directive, material.plan):
            portal.publish(signed.pdf, material.pki)
        portal.record_status(material.plan.doc.number_code, "het-hieu-luc", note="Đã thực hiện xong")
        build_site(portal, base_url=BASE_URL, on=BUILT_ON)
    return folder


@pytest.fixture
def portal_copy(published, tmp_path) -> Path:
    """A copy a test may change."""
    target = tmp_path / "cong-thong-tin"
    shutil.copytree(published, target)
    return target
