from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from simulator.documents import ContentGenerator, Document, Numberer, Signer, document_type
from simulator.documents.types import DOCUMENT_TYPES
from simulator.errors import UserError
from simulator.province import load_province

PROVINCE = load_province()


def _doc(**changes):
    base = dict(issuer_code="000.00.00.H41", issuer_name="Ủy ban nhân dân tỉnh Nghệ An",
                issuer_abbreviation="UBND", doc_type="quyet_dinh", subject="Về việc thử",
                issued_date=date(2026, 2, 5), place="Nghệ An",
                signer=Signer("Nguyễn Văn An", "Chủ tịch", "TM.", "Ủy ban nhân dân"), recipients=(), number=5)
    base.update(changes)
    return Document(**base)


def test_number_and_code_rules():
    assert _doc().number_code == "05/QĐ-UBND"
    assert _doc(number=123).number_code == "123/QĐ-UBND"
    assert _doc(doc_type="cong_van", drafting_unit="VX").number_code == "05/UBND-VX"
    assert _doc().date_line == "Nghệ An, ngày 05 tháng 02 năm 2026"
    assert _doc(issued_date=date(2026, 11, 25)).date_line == "Nghệ An, ngày 25 tháng 11 năm 2026"
    assert _doc().document_id == "000.00.00.H41,2026/02/05,05/QĐ-UBND"
    assert " " not in _doc().number_code


def test_type_table():
    assert len(DOCUMENT_TYPES) == 32
    assert document_type("QĐ").name == "Quyết định"
    assert document_type("Quy định").abbreviation == "QyĐ"
    assert document_type("Công văn").abbreviation == ""
    with pytest.raises(UserError, match="Không có loại văn bản"):
        document_type("Thư tình")


def test_signature_block_lines():
    s = Signer("Lê Thị Bình", "Phó Chủ tịch", "KT.", "Chủ tịch", collective="Ủy ban nhân dân")
    assert s.block_lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    with pytest.raises(UserError):
        Signer("A", "B", "XX.")


def test_numbering_yearly_reset_and_no_duplicates():
    numberer = Numberer()
    issuers = [u.code for u in PROVINCE.communes[:40]]

    def take(i):
        return issuers[i % len(issuers)], numberer.take(issuers[i % len(issuers)], date(2026, 6, 1))

    with ThreadPoolExecutor(8) as pool:
        taken = list(pool.map(take, range(4000)))
    assert len(set(taken)) == 4000
    for issuer in issuers:
        numbers = sorted(n for i, n in taken if i == issuer)
        assert numbers == list(range(1, len(numbers) + 1))
    assert numberer.take(issuers[0], date(2027, 1, 2)) == 1


def test_content_is_deterministic_and_varied():
    a = ContentGenerator(3).sample(PROVINCE)
    b = ContentGenerator(3).sample(PROVINCE)
    assert a == b
    subjects = {ContentGenerator(s).sample(PROVINCE).subject for s in range(30)}
    assert len(subjects) > 20
    doc = ContentGenerator(5).document(PROVINCE.find("Sở Y tế"), PROVINCE, "quyet_dinh")
    assert doc.parent_name == "Ủy ban nhân dân tỉnh Nghệ An"
    assert doc.signer.full_name and len(doc.signer.full_name.split()) >= 2


# ------------------------------------------------------------------------ a specification follows its date
SPEC = {"type": "Công văn", "number": 12, "subject": "V/v báo cáo", "body": ["Thực hiện chỉ đạo."],
        "signer": {"full_name": "Nguyễn Văn An", "position": "Chủ tịch"}}


def test_a_specification_reads_the_province_of_its_own_date():
    # DOMAIN.md §1: no district level from 1/7/2025; Information and Communications gone from 1/3/2025
    from simulator.documents.spec import document_from_spec

    today = document_from_spec({**SPEC, "issuer": "Xã Diễn Châu", "date": "2026-03-02",
                                "recipients": ["Sở Khoa học và Công nghệ"]})
    seat = load_province(on=date(2026, 3, 2))
    assert today.issuer_code == seat.find("Xã Diễn Châu").code and seat.structure == 2025
    assert today.recipients[0].code == seat.find("Sở Khoa học và Công nghệ").code
    with pytest.raises(UserError, match="01/07/2025"):
        document_from_spec({**SPEC, "issuer": "Xã Diễn Kim", "date": "2026-03-02", "recipients": ["Xã Diễn Châu"]})
    with pytest.raises(UserError, match="Khoa học và Công nghệ"):
        document_from_spec({**SPEC, "issuer": "Sở Thông tin và Truyền thông", "date": "2025-03-01",
                            "recipients": ["Sở Tài chính"]})
    before = document_from_spec({**SPEC, "issuer": "Xã Diễn Kim", "date": "2025-02-28",
                                 "recipients": ["Sở Thông tin và Truyền thông", "Huyện Diễn Châu"]})
    old = load_province(on=date(2025, 2, 28))
    assert before.issuer_code == old.find("Xã Diễn Kim").code
    assert [r.code for r in before.recipients] == [old.find("Sở Thông tin và Truyền thông").code,
                                                    old.find("Huyện Diễn Châu").code]


def test_a_specification_may_still_force_a_structure():
    from simulator.documents.spec import document_from_spec

    forced = document_from_spec({**SPEC, "issuer": "Xã Diễn Kim", "date": "2026-03-02", "structure": 2024,
                                 "recipients": ["Huyện Diễn Châu"]})
    assert forced.issuer_code == load_province("Nghệ An", 2024).find("Xã Diễn Kim").code
    with pytest.raises(UserError, match="2024"):
        document_from_spec({**SPEC, "issuer": "Xã Diễn Kim", "date": "2026-03-02", "structure": "ba cấp",
                            "recipients": ["Huyện Diễn Châu"]})


# ------------------------------------------------- the command line: --on DATE, today by default, --structure kept
def _vbdt(capsys, *args):
    from simulator.cli.main import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_doc_sample_and_org_seed_follow_on_or_today(tmp_path, capsys):
    import json

    today = load_province(on=date.today())
    code, out, _err = _vbdt(capsys, "doc", "sample", "--seed", "3", "--issuer", "Xã Diễn Kim", "--on", "30/06/2025",
                            "--out", str(tmp_path / "a.pdf"))
    assert code == 0 and "Diễn Kim" in out
    code, _out, err = _vbdt(capsys, "doc", "sample", "--seed", "3", "--issuer", "Xã Diễn Kim",
                            "--out", str(tmp_path / "b.pdf"))
    assert code == 2 and "01/07/2025" in err and not (tmp_path / "b.pdf").exists()   # today: 2 levels
    code, _out, _err = _vbdt(capsys, "doc", "sample", "--seed", "3", "--issuer", "Xã Diễn Kim", "--structure", "2024",
                             "--out", str(tmp_path / "c.pdf"))
    assert code == 0
    code, _out, err = _vbdt(capsys, "doc", "sample", "--on", "31/02/2026", "--out", str(tmp_path / "d.pdf"))
    assert code == 2 and "--on" in err and not (tmp_path / "d.pdf").exists()

    def seeded(*extra):
        db = tmp_path / f"reg-{len(list(tmp_path.glob('reg-*')))}.sqlite"
        assert _vbdt(capsys, "admin", "--db", str(db), "org", "seed", "--by", "quan_tri", *extra)[0] == 0
        code, out, _err = _vbdt(capsys, "admin", "--db", str(db), "org", "list", "--json")
        assert code == 0
        return {o["organ_id"] for o in json.loads(out)}

    assert seeded() == {u.code for u in today.units}
    assert seeded("--on", "2025-06-30") == {u.code for u in load_province(on=date(2025, 6, 30)).units}
    assert seeded("--structure", "2024") == {u.code for u in load_province("Nghệ An", 2024).units}
