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
