"""Retention schedule (thời hạn bảo quản) as data, and the hand-over rule.

Source: Circular 10/2022/TT-BNV of the Ministry of Home Affairs (in force
15/2/2023), appendix "Thời hạn bảo quản tài liệu phổ biến": each record type
is kept permanently (vĩnh viễn) or for a number of years counted from the
end of the work (the year after the record's EndDate). The rows below are a
representative subset of that appendix for a commune or department; the
periods marked ``confirmed=False`` are the simulator's defaults and should be
checked against the published text before real use. Load another schedule
from JSON with :func:`load_schedule`.

Hand-over (Decree 30/2020, Art. 31; Archives Law): a record goes to the
agency archive within one year after the work ends; records kept 5 years or
more must be handed over.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("archiving")

SOURCE = "Thông tư 10/2022/TT-BNV ngày 23/12/2022 của Bộ Nội vụ, Phụ lục: Thời hạn bảo quản tài liệu phổ biến"
HANDOVER_YEARS = 1
HANDOVER_MIN_RETENTION = 5


@dataclass(frozen=True)
class RetentionRule:
    key: str                 # stable id stored in the record's Maintenance field
    group: str               # the appendix's group heading
    title: str               # the record type, as the appendix words it
    years: int | None        # None = permanent (vĩnh viễn)
    confirmed: bool = False  # period checked against the published text

    @property
    def permanent(self) -> bool:
        return self.years is None

    @property
    def label(self) -> str:
        return "Vĩnh viễn" if self.years is None else f"{self.years} năm"

    def expires(self, end_date: date) -> date | None:
        """First day the record may be appraised for disposal: 1 January after EndDate's year + years."""
        if self.years is None:
            return None
        return date(end_date.year + 1 + self.years, 1, 1)


_G1 = "Tài liệu tổng hợp"
_G2 = "Tài liệu quy hoạch, kế hoạch, thống kê"
_G3 = "Tài liệu tổ chức, cán bộ"
_G4 = "Tài liệu tài chính, kế toán"
_G5 = "Tài liệu xây dựng cơ bản, đầu tư"
_G6 = "Tài liệu thanh tra, giải quyết khiếu nại, tố cáo"
_G7 = "Tài liệu thi đua, khen thưởng"
_G8 = "Tài liệu hành chính, văn thư, lưu trữ"

_ROWS = (
    RetentionRule("che_do_chinh_sach", _G1, "Hồ sơ xây dựng, ban hành quy chế, quy định, hướng dẫn của cơ quan", None, True),
    RetentionRule("hoi_nghi_tong_ket_nam", _G1, "Hồ sơ hội nghị tổng kết năm, nhiệm kỳ", None),
    RetentionRule("hoi_nghi_so_ket", _G1, "Hồ sơ hội nghị sơ kết, chuyên đề", 10),
    RetentionRule("ke_hoach_bao_cao_nam", _G2, "Kế hoạch, báo cáo công tác năm, nhiều năm", None, True),
    RetentionRule("ke_hoach_bao_cao_6_thang", _G2, "Kế hoạch, báo cáo công tác 6 tháng, 9 tháng", 20),
    RetentionRule("ke_hoach_bao_cao_quy_thang", _G2, "Kế hoạch, báo cáo công tác quý, tháng", 5),
    RetentionRule("thong_ke_nam", _G2, "Báo cáo thống kê năm", None),
    RetentionRule("cong_van_trao_doi", _G1, "Công văn trao đổi về công tác chung", 5, True),
    RetentionRule("ho_so_can_bo", _G3, "Hồ sơ gốc cán bộ, công chức, viên chức", 70),
    RetentionRule("to_chuc_bo_may", _G3, "Hồ sơ về thành lập, sáp nhập, giải thể, tổ chức bộ máy", None, True),
    RetentionRule("bao_cao_tai_chinh_nam", _G4, "Báo cáo tài chính, quyết toán năm", None),
    RetentionRule("chung_tu_ke_toan", _G4, "Chứng từ kế toán", 10),
    RetentionRule("goi_thau_trung_thau", _G5, "Hồ sơ dự thầu trúng thầu", 20, True),
    RetentionRule("goi_thau_khong_trung", _G5, "Hồ sơ dự thầu không trúng thầu", 5),
    RetentionRule("cong_trinh_nhom_a", _G5, "Hồ sơ công trình xây dựng cơ bản nhóm A, công trình quan trọng", None),
    RetentionRule("khieu_nai_to_cao", _G6, "Hồ sơ giải quyết khiếu nại, tố cáo", 15),
    RetentionRule("thanh_tra", _G6, "Hồ sơ thanh tra, kiểm tra vụ việc", 15),
    RetentionRule("khen_thuong_cao", _G7, "Hồ sơ khen thưởng hình thức Huân chương, danh hiệu Nhà nước", None),
    RetentionRule("khen_thuong_khac", _G7, "Hồ sơ khen thưởng các hình thức khác", 20),
    RetentionRule("so_van_ban_di", _G8, "Sổ đăng ký văn bản đi", 50),
    RetentionRule("so_van_ban_den", _G8, "Sổ đăng ký văn bản đến", 20),
    RetentionRule("tieu_huy_tai_lieu", _G8, "Hồ sơ về tiêu hủy tài liệu hết giá trị", None, True),
    RetentionRule("hanh_chinh_mot_cua", _G8, "Hồ sơ giải quyết thủ tục hành chính thông thường", 10),
)

RETENTION_SCHEDULE = MappingProxyType({rule.key: rule for rule in _ROWS})


def retention_rule(key: str, schedule=RETENTION_SCHEDULE) -> RetentionRule:
    try:
        return schedule[key]
    except KeyError:
        raise UserError(_("Unknown retention type {key!r}; see the retention schedule (Circular 10/2022/TT-BNV).",
                          key=key), field="maintenance") from None


def handover_due(end_date: date) -> date:
    """Latest hand-over date to the agency archive: one year after the work ends."""
    try:
        return end_date.replace(year=end_date.year + HANDOVER_YEARS)
    except ValueError:  # 29 February
        return end_date.replace(year=end_date.year + HANDOVER_YEARS, day=28)


def must_hand_over(rule: RetentionRule) -> bool:
    return rule.years is None or rule.years >= HANDOVER_MIN_RETENTION


def load_schedule(path: str | Path) -> MappingProxyType:
    """A schedule from JSON: a list of {key, group, title, years (null = permanent), confirmed}."""
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    return MappingProxyType({row["key"]: RetentionRule(**row) for row in rows})


def schedule_rows(schedule=RETENTION_SCHEDULE) -> list[dict]:
    return [asdict(rule) | {"label": rule.label} for rule in schedule.values()]
