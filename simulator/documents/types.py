"""Document types and their abbreviations (Decree 30/2020, Appendix III)."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("vbdt")


@dataclass(frozen=True)
class DocumentType:
    key: str            # stable id used in files and code: "quyet_dinh"
    name: str           # "Quyết định"
    abbreviation: str   # "QĐ"; empty for công văn and thư công
    legal: bool = False # a legal or directive document, published on the portal (plan II.5/III.5)
    reply_due: bool = False  # usually asks the receiver for a reply or report

    @property
    def upper_name(self) -> str:
        return self.name.upper()


_ROWS = [
    ("nghi_quyet", "Nghị quyết", "NQ", True, False),
    ("quyet_dinh", "Quyết định", "QĐ", True, False),
    ("chi_thi", "Chỉ thị", "CT", True, True),
    ("quy_che", "Quy chế", "QC", True, False),
    ("quy_dinh", "Quy định", "QyĐ", True, False),
    ("thong_cao", "Thông cáo", "TC", False, False),
    ("thong_bao", "Thông báo", "TB", False, False),
    ("huong_dan", "Hướng dẫn", "HD", False, False),
    ("chuong_trinh", "Chương trình", "CTr", False, False),
    ("ke_hoach", "Kế hoạch", "KH", True, True),
    ("phuong_an", "Phương án", "PA", False, False),
    ("de_an", "Đề án", "ĐA", False, False),
    ("du_an", "Dự án", "DA", False, False),
    ("bao_cao", "Báo cáo", "BC", False, False),
    ("bien_ban", "Biên bản", "BB", False, False),
    ("to_trinh", "Tờ trình", "TTr", False, True),
    ("hop_dong", "Hợp đồng", "HĐ", False, False),
    ("cong_dien", "Công điện", "CĐ", True, True),
    ("ban_ghi_nho", "Bản ghi nhớ", "BGN", False, False),
    ("ban_thoa_thuan", "Bản thỏa thuận", "BTT", False, False),
    ("giay_uy_quyen", "Giấy ủy quyền", "GUQ", False, False),
    ("giay_moi", "Giấy mời", "GM", False, False),
    ("giay_gioi_thieu", "Giấy giới thiệu", "GGT", False, False),
    ("giay_nghi_phep", "Giấy nghỉ phép", "GNP", False, False),
    ("phieu_gui", "Phiếu gửi", "PG", False, False),
    ("phieu_chuyen", "Phiếu chuyển", "PC", False, False),
    ("phieu_bao", "Phiếu báo", "PB", False, False),
    ("ban_sao_y", "Bản sao y", "SY", False, False),
    ("ban_trich_sao", "Bản trích sao", "TrS", False, False),
    ("ban_sao_luc", "Bản sao lục", "SL", False, False),
    ("cong_van", "Công văn", "", False, True),
    ("thu_cong", "Thư công", "", False, False),
]

DOCUMENT_TYPES: MappingProxyType = MappingProxyType(
    {key: DocumentType(key, name, abbr, legal, reply) for key, name, abbr, legal, reply in _ROWS}
)


def document_type(value: str | DocumentType) -> DocumentType:
    """Look a type up by key, name or abbreviation ("quyet_dinh", "Quyết định", "QĐ")."""
    if isinstance(value, DocumentType):
        return value
    from simulator.text import fold

    wanted = fold(str(value).strip())
    for kind in DOCUMENT_TYPES.values():
        if wanted in (kind.key, fold(kind.name)) or (kind.abbreviation and str(value).strip() == kind.abbreviation):
            return kind
    for kind in DOCUMENT_TYPES.values():  # abbreviations folded, last: "QD" for "QĐ"
        if kind.abbreviation and wanted == fold(kind.abbreviation):
            return kind
    raise UserError(_("Unknown document type {value!r} (Decree 30, Appendix III).", value=value), field="type")
