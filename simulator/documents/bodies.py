"""The wording of each document type, as provincial documents are written (Decree 30, Appendix I).

A Quyết định opens with its authority line and its legal bases (the laws
that give the power: the Law on the Organisation of Local Government for a
People's Committee, the Law on Promulgation of Legal Documents for a legal
normative one; never Decree 30, which rules the form, not the power), then
"QUYẾT ĐỊNH:" and its articles. A report and a plan have bold Roman-numbered
parts. An invitation names the meeting, its chair, who attends, when and
where. A document to a superior asks ("kính đề nghị", "kính trình"); one
to a unit it guides asks that unit to carry something out.

Paragraphs are plain text: the renderer knows a legal basis ("Căn cứ"), an
article ("Điều 1."), a Roman heading and an all-capitals line by their words.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from simulator.documents.topics import DOWN, UP, Field
from simulator.province.model import Unit, UnitKind

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")

# Subjects by type; for a công văn by direction. "{obj}" is the object of work.
SUBJECTS = {
    "quyet_dinh": ("Về việc phê duyệt Kế hoạch {obj}", "Về việc thành lập Ban Chỉ đạo {obj}",
                   "Về việc kiện toàn Tổ công tác {obj}", "Về việc phê duyệt kinh phí thực hiện {obj}"),
    "ke_hoach": ("Triển khai {obj}", "Thực hiện {obj}", "Tổ chức {obj}"),
    "bao_cao": ("Kết quả thực hiện {obj}", "Tình hình {obj}", "Sơ kết 6 tháng đầu năm về {obj}"),
    "to_trinh": ("Đề nghị phê duyệt Kế hoạch {obj}", "Đề nghị bổ sung kinh phí thực hiện {obj}"),
    "giay_moi": ("Dự Hội nghị triển khai {obj}", "Dự cuộc họp bàn về {obj}"),
    "thong_bao": ("Kết luận cuộc họp về {obj}",),
    "chi_thi": ("Về tăng cường chỉ đạo {obj}",),
    "cong_dien": ("Về việc tập trung chỉ đạo {obj}",),
    DOWN: ("V/v triển khai {obj}", "V/v đôn đốc thực hiện {obj}", "V/v báo cáo kết quả {obj}"),
    UP: ("V/v đề nghị hướng dẫn {obj}", "V/v đề nghị hỗ trợ kinh phí thực hiện {obj}", "V/v báo cáo tình hình {obj}"),
    "peer": ("V/v phối hợp thực hiện {obj}", "V/v góp ý dự thảo Kế hoạch {obj}"),
    "other": ("Về việc thực hiện {obj}",),  # any other type with a name (Hướng dẫn, Chương trình...)
}


@dataclass(frozen=True)
class Context:
    """What the wording of one document depends on."""

    issuer: Unit
    doc_type: str
    subject: str
    obj: str                      # the object of work, as in the subject
    field: Field
    day: date
    direction: str                # up, down or peer (topics.py)
    addressee: str                # the recipients as the text names them
    authority_line: str           # a Quyết định's: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"
    head: str                     # "Chủ tịch", "Giám đốc"
    chair: str                    # "Nguyễn Văn An, Phó Chủ tịch Ủy ban nhân dân xã Diễn Kim"
    proposer: str                 # "Giám đốc Sở Nội vụ", who proposed a decision
    normative: bool
    rng: random.Random


def local_government_law(day: date) -> str:
    if day >= date(2025, 6, 16):
        return "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
    if day < date(2020, 7, 1):  # the 2019 amendments took effect on 1/7/2020
        return "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
    return ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một "
            "số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;")


def promulgation_law(day: date) -> str:
    if day >= date(2025, 4, 1):
        return "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 19 tháng 02 năm 2025;"
    if day < date(2021, 1, 1):  # the 2020 amendments took effect on 1/1/2021
        return "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015;"
    return ("Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
            "một số điều của Luật Ban hành văn bản quy phạm pháp luật ngày 18 tháng 6 năm 2020;")


def working_day_after(day: date, days: int) -> date:
    out = day + timedelta(days=days)
    while out.weekday() >= 5:
        out += timedelta(days=1)
    return out


def _vn(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _long(day: date) -> str:
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _first_upper(text: str) -> str:
    """Capitalise the first letter only: proper names further on keep their capitals (Appendix II)."""
    return text[:1].upper() + text[1:]


def office_head(issuer: Unit, day: date) -> str:
    """Who heads the issuer's office, as a decision's last article names them: "Chánh Văn phòng Sở",
    "Chánh Văn phòng Ủy ban nhân dân tỉnh", "Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân
    huyện" (or "xã" from 1/7/2025, when communes got offices); before that a commune's office work
    was a civil servant's, "công chức Văn phòng - Thống kê"."""
    if issuer.kind == UnitKind.DEPARTMENT:
        return "Chánh Văn phòng Sở"
    if issuer.kind == UnitKind.PROVINCE_COMMITTEE:
        return "Chánh Văn phòng Ủy ban nhân dân tỉnh"
    if issuer.kind == UnitKind.COMMUNE_COMMITTEE and day < date(2025, 7, 1):
        return "công chức Văn phòng - Thống kê"
    words = issuer.name.removeprefix("Ủy ban nhân dân ").split()
    division = " ".join(words[:next((i for i, w in enumerate(words) if w[:1].isupper()), len(words))])
    return f"Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {division}".strip()


def organisation_decision(c: Context) -> str:
    """The provincial decision that set up a department, cited by its number and date as every legal
    basis is ("Quyết định số 12/2025/QĐ-UBND ngày 14 tháng 3 năm 2025"); the same in every document of
    that department: the departments of 2025 were set up in the spring after the reorganisation of
    1 March 2025, the earlier ones after the 2015 Law on the Organisation of Local Government."""
    since_2025 = c.day >= date(2025, 6, 1)
    rng = random.Random(f"{c.issuer.code}|{'2025' if since_2025 else '2016'}")  # str seeds: the same every run
    made = (date(2025, 3, 3) if since_2025 else date(2016, 1, 4)) + timedelta(days=rng.randint(0, 80))
    return f"Quyết định số {rng.randint(5, 60):02d}/{made.year}/QĐ-UBND {_long(made)}"


def quyet_dinh(c: Context) -> tuple[str, ...]:
    bases = []
    if c.issuer.kind == UnitKind.DEPARTMENT:
        bases.append(f"Căn cứ {organisation_decision(c)} của Ủy ban nhân dân tỉnh quy định chức năng, nhiệm vụ, "
                     f"quyền hạn và cơ cấu tổ chức của {c.issuer.name};")
    else:
        bases.append(local_government_law(c.day))
        if c.normative:
            bases.append(promulgation_law(c.day))
    if c.field.law and c.day >= c.field.law_from:
        bases.append(f"Căn cứ {c.field.law};")
    bases.append(f"Theo đề nghị của {c.proposer}.")
    effect = working_day_after(c.day, 10)
    if c.normative:
        area = c.issuer.name.split("Ủy ban nhân dân ", 1)[-1]
        articles = (
            f"Điều 1. Ban hành kèm theo Quyết định này Quy định về {c.field.regulation} trên địa bàn {area}.",
            f"Điều 2. Quyết định này có hiệu lực kể từ {_long(effect)}.",
        )
    else:
        action = c.subject.removeprefix("Về việc ")
        attached = "danh sách kèm theo" if "Ban Chỉ đạo" in action or "Tổ công tác" in action else "phụ lục kèm theo"
        articles = (f"Điều 1. {_first_upper(action)} (có {attached}).",
                    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.")
    office = office_head(c.issuer, c.day)
    responsible = _first_upper(office if c.proposer == office else f"{office}, {c.proposer}")
    closing = (f"Điều 3. {responsible}, Thủ trưởng các cơ quan, đơn vị trong lĩnh vực {c.field.name}, các tổ "
               "chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.")
    return (c.authority_line, *bases, "QUYẾT ĐỊNH:", *articles, closing)


def cong_van(c: Context) -> tuple[str, ...]:
    until = _vn(working_day_after(c.day, c.rng.choice((7, 10, 15))))
    me = c.issuer.name
    if c.direction == UP:
        return (
            f"Thực hiện nhiệm vụ được giao về {c.obj}, thời gian qua {me} đã chủ động triển khai và đạt được "
            "một số kết quả bước đầu. Tuy nhiên, trong quá trình thực hiện còn một số khó khăn, vướng mắc về "
            "nguồn lực và hướng dẫn nghiệp vụ.",
            f"Để bảo đảm tiến độ, {me} kính đề nghị {c.addressee} quan tâm, xem xét, hướng dẫn và hỗ trợ "
            "để đơn vị hoàn thành nhiệm vụ được giao.",
            f"{me} kính đề nghị {c.addressee} quan tâm, giải quyết./.",
        )
    if c.direction == DOWN:
        return (
            f"Thực hiện nhiệm vụ được giao về {c.obj}, {me} đề nghị {c.addressee} triển khai thực hiện "
            "một số nội dung sau:",
            f"1. Rà soát, tổng hợp tình hình thực hiện trong lĩnh vực {c.field.name} tại đơn vị.",
            "2. Phân công cán bộ theo dõi, đôn đốc và báo cáo kết quả đúng thời hạn.",
            f"3. Báo cáo kết quả thực hiện về {me} trước ngày {until}; trong quá trình thực hiện, nếu có khó "
            "khăn, vướng mắc, kịp thời phản ánh để được hướng dẫn./.",
        )
    return (
        f"Để thực hiện tốt nhiệm vụ về {c.obj}, {me} đề nghị {c.addressee} phối hợp, trao đổi thông tin "
        f"và cử cán bộ đầu mối làm việc với {me}.",
        f"Ý kiến của quý cơ quan xin gửi về {me} trước ngày {until} để tổng hợp./.",
    )


def to_trinh(c: Context) -> tuple[str, ...]:
    return (
        f"Thực hiện chức năng, nhiệm vụ được giao và căn cứ tình hình thực tế, {c.issuer.name} kính trình "
        f"{c.addressee} xem xét nội dung sau:",
        f"1. Sự cần thiết: việc thực hiện {c.obj} đáp ứng yêu cầu quản lý nhà nước trong lĩnh vực "
        f"{c.field.name}.",
        "2. Nội dung đề nghị: có dự thảo và hồ sơ kèm theo.",
        f"{c.issuer.name} kính trình {c.addressee} xem xét, quyết định./.",
    )


def giay_moi(c: Context) -> tuple[str, ...]:
    meeting = c.subject.removeprefix("Dự ")
    day = working_day_after(c.day, c.rng.choice((3, 4, 5, 7)))
    hour = c.rng.choice(("07 giờ 30", "08 giờ 00", "14 giờ 00", "14 giờ 30"))
    return (
        f"{c.issuer.name} trân trọng kính mời: Đại diện lãnh đạo {c.addressee}.",
        f"Tới dự: {_first_upper(meeting)}.",
        f"Chủ trì: Đồng chí {c.chair}.",
        f"Thành phần: Đại diện lãnh đạo {c.addressee}; công chức phụ trách lĩnh vực {c.field.name}.",
        f"Thời gian: {hour}, {WEEKDAYS[day.weekday()]}, {_long(day)}.",
        f"Địa điểm: Hội trường {c.issuer.name}.",
        "Đề nghị đại biểu nghiên cứu tài liệu và dự họp đúng thời gian, đúng thành phần./.",
    )


def bao_cao(c: Context) -> tuple[str, ...]:
    done = c.rng.randint(60, 99)
    return (
        f"Thực hiện chỉ đạo của cấp trên về {c.obj}, {c.issuer.name} báo cáo kết quả như sau:",
        "I. KẾT QUẢ THỰC HIỆN",
        f"Đến nay đã hoàn thành {done}% khối lượng công việc theo kế hoạch; các nhiệm vụ còn lại đang được "
        "triển khai đúng tiến độ.",
        "II. KHÓ KHĂN, VƯỚNG MẮC",
        "Nguồn lực còn hạn chế; một số thôn ở vùng sâu, vùng xa đường truyền chưa ổn định.",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        f"Kính đề nghị {c.addressee} quan tâm hỗ trợ kinh phí và tập huấn cho cán bộ, công chức.",
        f"Trên đây là báo cáo của {c.issuer.name}, kính báo cáo {c.addressee} xem xét, chỉ đạo./.",
    )


def ke_hoach(c: Context) -> tuple[str, ...]:
    return (
        f"Thực hiện nhiệm vụ được giao, {c.issuer.name} ban hành Kế hoạch {c.obj} như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        f"Tổ chức thực hiện có hiệu quả {c.obj}; phân công rõ trách nhiệm, bảo đảm tiến độ và chất lượng.",
        "II. NỘI DUNG THỰC HIỆN",
        f"1. Rà soát, đánh giá thực trạng trong lĩnh vực {c.field.name}; xây dựng lộ trình thực hiện.",
        "2. Tổ chức thực hiện, kiểm tra, đôn đốc; sơ kết, rút kinh nghiệm theo từng giai đoạn.",
        "III. TỔ CHỨC THỰC HIỆN",
        f"Các cơ quan, đơn vị căn cứ Kế hoạch này triển khai thực hiện, báo cáo kết quả về {c.issuer.name} "
        f"trước ngày {_vn(working_day_after(c.day, 30))}./.",
    )


def thong_bao(c: Context) -> tuple[str, ...]:
    return (
        f"Ngày {_vn(c.day - timedelta(days=c.rng.randint(1, 3)))}, đồng chí {c.chair} chủ trì cuộc họp về {c.obj}. "
        "Sau khi nghe báo cáo và ý kiến của các đại biểu, đồng chí chủ trì kết luận như sau:",
        f"1. Ghi nhận kết quả bước đầu; các cơ quan, đơn vị tiếp tục triển khai {c.obj} theo kế hoạch.",
        "2. Khẩn trương khắc phục những tồn tại, hạn chế; báo cáo kết quả đúng thời hạn.",
        f"{c.issuer.name} thông báo để các cơ quan, đơn vị biết, thực hiện./.",
    )


def chi_thi(c: Context) -> tuple[str, ...]:
    return (
        f"Thời gian qua, việc triển khai {c.obj} trên địa bàn đã đạt được những kết quả tích cực. Tuy nhiên, "
        "việc thực hiện ở một số nơi còn chậm, chưa đồng bộ.",
        f"Để khắc phục những hạn chế nêu trên, {c.head} {c.issuer.name} yêu cầu:",
        f"1. Thủ trưởng các cơ quan, đơn vị tập trung chỉ đạo thực hiện {c.obj}; xác định đây là nhiệm vụ "
        "trọng tâm của năm.",
        "2. Tăng cường kiểm tra, giám sát; kịp thời biểu dương, khen thưởng tập thể, cá nhân làm tốt.",
        "Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc thực hiện Chỉ thị này./.",
    )


def cong_dien(c: Context) -> tuple[str, ...]:
    return (
        f"{c.authority_line} điện:",
        f"Chủ tịch {c.addressee}." if c.addressee.startswith("Ủy ban nhân dân") else f"{_first_upper(c.addressee)}.",
        f"Để chủ động ứng phó, bảo đảm an toàn cho Nhân dân, {c.head} {c.issuer.name} yêu cầu các cơ "
        f"quan, đơn vị tập trung chỉ đạo {c.obj}; phân công lãnh đạo trực tiếp theo dõi, chỉ đạo.",
        "Tổ chức trực nghiêm túc, báo cáo kịp thời tình hình và kết quả thực hiện./.",
    )


WRITERS = {"quyet_dinh": quyet_dinh, "to_trinh": to_trinh, "giay_moi": giay_moi, "bao_cao": bao_cao,
           "ke_hoach": ke_hoach, "thong_bao": thong_bao, "chi_thi": chi_thi, "cong_dien": cong_dien}


def body(c: Context) -> tuple[str, ...]:
    return WRITERS.get(c.doc_type, cong_van)(c)
