"""What a unit writes about: fields of work (lĩnh vực), the agencies they belong to, and the
direction a document travels.

A department writes within its own field (Sở Nội vụ about personnel and
administration, not animal disease); a People's Committee, which governs a
territory, writes about any field of its level. Objects of work are noun
phrases that read right after "Kế hoạch", "Báo cáo kết quả" or "V/v triển
khai"; proper names keep their capitals (Decree 30, Appendix II).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from simulator.province.model import Unit, UnitKind
from simulator.text import fold


@dataclass(frozen=True)
class Field:
    name: str                 # "nội vụ"
    code: str                 # drafting unit of a committee's office for this field: VX, KT, NC...
    objects: tuple[str, ...]  # objects of work ("{year}", "{last_quarter}", "{school_year}", "{village}"...: when())
    regulation: str           # what a legal normative decision of this field rules on
    law: str = ""             # the field's law, cited as a legal basis from the day it is in force
    law_from: date = date.min


FIELDS: dict[str, Field] = {f.name: f for f in (
    Field("đất đai", "KT", (
        "kế hoạch sử dụng đất năm {year}",
        "cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình, cá nhân",
        "giải quyết tranh chấp đất đai tại thôn {village}",
        "rà soát quỹ đất công ích trên địa bàn",
    ), "hạn mức giao đất ở cho hộ gia đình, cá nhân"),
    Field("y tế", "VX", (
        "công tác phòng, chống dịch sốt xuất huyết năm {year}",
        "tiêm chủng mở rộng cho trẻ em dưới 5 tuổi",
        "bảo đảm an toàn thực phẩm dịp Tết Nguyên đán",
        "cấp thẻ bảo hiểm y tế cho người có công và người nghèo",
    ), "bảo đảm an toàn thực phẩm", "Luật Khám bệnh, chữa bệnh ngày 09 tháng 01 năm 2023",
       date(2024, 1, 1)),
    Field("giáo dục", "VX", (
        "tuyển sinh vào lớp 1 và lớp 6 năm học {next_school_year}",
        "sửa chữa phòng học Trường Tiểu học {village}",
        "phổ cập giáo dục mầm non cho trẻ em 5 tuổi",
        "tổ chức kỳ thi chọn học sinh giỏi năm học {school_year}",
    ), "quản lý dạy thêm, học thêm", "Luật Giáo dục ngày 14 tháng 6 năm 2019", date(2020, 7, 1)),
    Field("tài chính", "TC", (
        "dự toán thu, chi ngân sách năm {year}",
        "quyết toán ngân sách {last_quarter}",
        "phân bổ kinh phí Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
        "công khai tài chính ngân sách năm {year}",
    ), "phân cấp quản lý tài sản công"),
    Field("nông nghiệp", "KT", (
        "khung lịch thời vụ sản xuất vụ Hè Thu năm {year}",
        "phòng, chống bệnh dịch tả lợn châu Phi",
        "hỗ trợ giống lúa cho hộ bị thiệt hại do mưa lũ",
        "chuyển đổi cơ cấu cây trồng trên đất lúa kém hiệu quả",
    ), "hỗ trợ phát triển sản xuất nông nghiệp"),
    Field("xây dựng", "KT", (
        "cấp giấy phép xây dựng nhà ở riêng lẻ",
        "nghiệm thu công trình Nhà văn hóa thôn {village}",
        "kiểm tra trật tự xây dựng trên địa bàn",
        "bảo trì đường giao thông nông thôn năm {year}",
    ), "phân cấp cấp giấy phép xây dựng"),
    Field("nội vụ", "NV", (
        "đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm {year}",
        "công tác thi đua, khen thưởng năm {year}",
        "cải cách hành chính năm {year}",
        "công tác văn thư, lưu trữ năm {year}",
        "bồi dưỡng kiến thức quản lý nhà nước cho công chức",
    ), "phân cấp quản lý cán bộ, công chức, viên chức"),
    Field("lao động và xã hội", "VX", (
        "chi trả trợ cấp ưu đãi người có công với cách mạng",
        "rà soát hộ nghèo, hộ cận nghèo năm {year}",
        "giải quyết việc làm và đào tạo nghề cho lao động nông thôn",
    ), "hỗ trợ người lao động mất việc làm"),
    Field("tư pháp", "TP", (
        "tuyên truyền, phổ biến, giáo dục pháp luật năm {year}",
        "đăng ký hộ tịch trực tuyến",
        "rà soát văn bản quy phạm pháp luật hết hiệu lực",
    ), "kiểm tra, rà soát văn bản quy phạm pháp luật"),
    Field("chuyển đổi số", "VP", (
        "gửi, nhận văn bản điện tử trên Trục liên thông văn bản quốc gia",
        "sử dụng chữ ký số chuyên dùng trong cơ quan nhà nước",
        "bảo đảm an toàn thông tin mạng năm {year}",
        "sử dụng hệ thống thư điện tử công vụ",
    ), "quản lý, vận hành và sử dụng Hệ thống quản lý văn bản và điều hành"),
    Field("môi trường", "KT", (
        "thu gom, xử lý chất thải rắn sinh hoạt trên địa bàn",
        "phòng, chống thiên tai và tìm kiếm cứu nạn năm {year}",
        "bảo vệ rừng và phòng cháy, chữa cháy rừng mùa khô năm {year}",
    ), "quản lý chất thải rắn sinh hoạt"),
    Field("văn hóa", "VX", (
        "tổ chức các hoạt động văn hóa, thể thao mừng Đảng, mừng Xuân {spring_year}",
        "xây dựng gia đình văn hóa, thôn văn hóa năm {year}",
        "quản lý và tổ chức lễ hội năm {year}",
    ), "quản lý hoạt động lễ hội"),
    Field("công thương", "KT", (
        "bình ổn giá hàng hóa thiết yếu dịp Tết Nguyên đán",
        "bảo đảm an toàn điện mùa mưa bão năm {year}",
        "phát triển cụm công nghiệp trên địa bàn",
    ), "quản lý cụm công nghiệp"),
    Field("thanh tra", "TTr", (
        "tiếp công dân, giải quyết khiếu nại, tố cáo năm {year}",
        "phòng, chống tham nhũng, tiêu cực năm {year}",
    ), "tiếp công dân"),
    Field("đối ngoại", "VP", (
        "quản lý đoàn ra, đoàn vào năm {year}",
        "thông tin đối ngoại năm {year}",
    ), "quản lý hoạt động đối ngoại"),
    Field("dân tộc và tôn giáo", "VP", (
        "chính sách hỗ trợ đồng bào dân tộc thiểu số năm {year}",
        "quản lý hoạt động tín ngưỡng, tôn giáo dịp lễ hội",
    ), "hỗ trợ đồng bào dân tộc thiểu số"),
    Field("văn phòng", "VP", (
        "tiếp nhận, giải quyết thủ tục hành chính tại Trung tâm Phục vụ hành chính công",
        "chế độ báo cáo định kỳ năm {year}",
        "gửi, nhận văn bản điện tử trên Trục liên thông văn bản quốc gia",
    ), "chế độ báo cáo định kỳ"),
)}

# Objects of work that fit only part of the year (months): Tết comes in January or February, the
# festivals after it, the Hè Thu crop is planned in spring, floods and storms come in autumn, the dry
# season's forest fires in summer. Any other object fits any month.
SEASONS: dict[str, tuple[int, ...]] = {
    "bảo đảm an toàn thực phẩm dịp Tết Nguyên đán": (11, 12, 1, 2),
    "bình ổn giá hàng hóa thiết yếu dịp Tết Nguyên đán": (11, 12, 1, 2),
    "tổ chức các hoạt động văn hóa, thể thao mừng Đảng, mừng Xuân {spring_year}": (11, 12, 1, 2),
    "quản lý và tổ chức lễ hội năm {year}": (1, 2, 3),
    "quản lý hoạt động tín ngưỡng, tôn giáo dịp lễ hội": (1, 2, 3),
    "khung lịch thời vụ sản xuất vụ Hè Thu năm {year}": (3, 4, 5, 6),
    "hỗ trợ giống lúa cho hộ bị thiệt hại do mưa lũ": (9, 10, 11, 12, 1),
    "bảo vệ rừng và phòng cháy, chữa cháy rừng mùa khô năm {year}": (3, 4, 5, 6, 7, 8),
    "bảo đảm an toàn điện mùa mưa bão năm {year}": (5, 6, 7, 8, 9, 10),
    "tuyển sinh vào lớp 1 và lớp 6 năm học {next_school_year}": (3, 4, 5, 6, 7),
    "tổ chức kỳ thi chọn học sinh giỏi năm học {school_year}": (9, 10, 11, 12, 1, 2, 3),
    # emergencies a Công điện is sent about (content.EMERGENCIES)
    "ứng phó với mưa lũ, sạt lở đất": (8, 9, 10, 11),
    "phòng, chống dịch sốt xuất huyết": (6, 7, 8, 9, 10, 11),
    "phòng cháy, chữa cháy rừng trong đợt nắng nóng": (4, 5, 6, 7, 8),
}


def in_season(template: str, day: date) -> bool:
    return day.month in SEASONS.get(template, range(1, 13))


def is_local(template: str) -> bool:
    """An object about one village, its school or its cultural house ("{village}"): a commune's (or a
    district's) business, not a province's."""
    return "{village}" in template


def objects_for(field: Field, day: date, local: bool) -> tuple[str, ...]:
    """The objects of ``field`` that fit ``day``'s season and, unless ``local``, the whole territory."""
    fitting = tuple(t for t in field.objects if in_season(t, day) and (local or not is_local(t)))
    return fitting or tuple(t for t in field.objects if local or not is_local(t)) or field.objects


def when(day: date) -> dict[str, str]:
    """The dates an object's wording names, as of ``day``: the year, the last quarter that has ended
    ('quý IV năm 2025' in March 2026), the school year under way (from September) and the next one,
    the spring (Tết) ahead."""
    quarter = (day.month - 1) // 3  # quarters already ended this year
    last = f"quý {('IV', 'I', 'II', 'III')[quarter]} năm {day.year if quarter else day.year - 1}"
    start = day.year if day.month >= 9 else day.year - 1
    return {"year": str(day.year), "next_year": str(day.year + 1), "last_quarter": last,
            "school_year": f"{start}-{start + 1}", "next_school_year": f"{start + 1}-{start + 2}",
            "spring_year": str(day.year + 1 if day.month >= 11 else day.year)}


# A department's fields, by words of its name (folded). The 2025 mergers: Nông nghiệp và Môi trường
# took land and environment, Xây dựng took transport, Khoa học và Công nghệ took digital affairs
# (from Thông tin và Truyền thông), Nội vụ took labour.
DEPARTMENT_FIELDS = (
    ("van phong", ("văn phòng",)), ("noi vu", ("nội vụ", "lao động và xã hội")), ("tu phap", ("tư pháp",)),
    ("ke hoach", ("tài chính",)), ("tai chinh", ("tài chính",)), ("cong thuong", ("công thương",)),
    ("nong nghiep va moi truong", ("nông nghiệp", "đất đai", "môi trường")),
    ("nong nghiep", ("nông nghiệp",)), ("tai nguyen", ("đất đai", "môi trường")),
    ("giao thong", ("xây dựng",)), ("xay dung", ("xây dựng",)), ("thong tin", ("chuyển đổi số",)),
    ("khoa hoc", ("chuyển đổi số",)), ("lao dong", ("lao động và xã hội",)), ("van hoa", ("văn hóa",)),
    ("du lich", ("văn hóa",)), ("giao duc", ("giáo dục",)), ("y te", ("y tế",)), ("thanh tra", ("thanh tra",)),
    ("ngoai vu", ("đối ngoại",)), ("dan toc", ("dân tộc và tôn giáo",)),
)
TERRITORIAL = tuple(name for name in FIELDS if name not in ("thanh tra", "đối ngoại", "văn phòng"))


def fields_of(unit: Unit) -> tuple[str, ...]:
    """The fields a unit writes about: a department its own, a People's Committee any of its territory's."""
    if unit.kind == UnitKind.DEPARTMENT:
        name = fold(unit.name)
        for words, fields in DEPARTMENT_FIELDS:
            if words in name:
                return fields
        return ("văn phòng",)
    return TERRITORIAL


def leader_positions(unit: Unit) -> tuple[str, str, str]:
    """(head, deputy, collective) for a unit: a People's Committee is a collective led by its Chủ tịch."""
    if unit.kind == UnitKind.DEPARTMENT:
        name = fold(unit.name)
        if name.startswith("van phong"):
            return "Chánh Văn phòng", "Phó Chánh Văn phòng", ""
        if name.startswith("thanh tra"):
            return "Chánh Thanh tra", "Phó Chánh Thanh tra", ""
        if name.startswith("ban "):
            return "Trưởng ban", "Phó Trưởng ban", ""
        return "Giám đốc", "Phó Giám đốc", ""
    if unit.kind == UnitKind.CENTRAL_BODY:
        if fold(unit.name).startswith("van phong"):
            return "Bộ trưởng, Chủ nhiệm", "Phó Chủ nhiệm", ""
        return "Bộ trưởng", "Thứ trưởng", ""
    return "Chủ tịch", "Phó Chủ tịch", "Ủy ban nhân dân"


UP, DOWN, PEER = "up", "down", "peer"
_RANK = {UnitKind.CENTRAL_BODY: 0, UnitKind.PROVINCE_COMMITTEE: 1, UnitKind.DEPARTMENT: 2,
         UnitKind.DISTRICT_COMMITTEE: 3, UnitKind.COMMUNE_COMMITTEE: 4}


def direction(issuer: Unit, recipient: Unit | None) -> str:
    """Whether a document goes up (to a superior), down (to a unit it directs or guides) or across."""
    if recipient is None:
        return PEER
    if recipient.code == issuer.parent:
        return UP
    if recipient.parent == issuer.code:
        return DOWN
    mine, theirs = _RANK[issuer.kind], _RANK[recipient.kind]
    return UP if theirs < mine else DOWN if theirs > mine else PEER
