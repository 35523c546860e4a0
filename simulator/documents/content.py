"""Believable Vietnamese document content, deterministic for a seed.

People come from Faker's ``vi_VN`` locale; subjects and bodies from our own
templates by field (đất đai, y tế, giáo dục, tài chính...), written the way
provincial documents are written. The same seed gives the same document.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from simulator.documents.model import Document, Priority, Recipient, Secrecy, Signer
from simulator.documents.types import DOCUMENT_TYPES, document_type
from simulator.province.model import Level, Province, Unit, UnitKind

# Field -> (drafting unit code, objects of work). Drafting-unit codes follow
# common practice in committees' offices (VX: văn xã, KT: kinh tế, NC: nội chính).
FIELDS: dict[str, tuple[str, list[str]]] = {
    "đất đai": ("KT", [
        "kế hoạch sử dụng đất năm {year}",
        "cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình, cá nhân",
        "thu hồi đất để thực hiện dự án đường giao thông liên xã",
        "giải quyết tranh chấp đất đai tại thôn {village}",
        "rà soát quỹ đất công ích trên địa bàn",
    ]),
    "y tế": ("VX", [
        "công tác phòng, chống dịch sốt xuất huyết năm {year}",
        "tiêm chủng mở rộng cho trẻ em dưới 5 tuổi",
        "kiểm tra an toàn thực phẩm dịp Tết Nguyên đán",
        "cấp thẻ bảo hiểm y tế cho người có công và người nghèo",
    ]),
    "giáo dục": ("VX", [
        "tuyển sinh vào lớp 1 và lớp 6 năm học {year}-{next_year}",
        "sửa chữa phòng học trường tiểu học {village}",
        "phổ cập giáo dục mầm non cho trẻ 5 tuổi",
        "tổ chức kỳ thi học sinh giỏi cấp huyện",
    ]),
    "tài chính": ("TC", [
        "dự toán thu, chi ngân sách năm {year}",
        "quyết toán ngân sách quý {quarter} năm {year}",
        "phân bổ kinh phí chương trình mục tiêu quốc gia xây dựng nông thôn mới",
        "công khai tài chính ngân sách năm {year}",
    ]),
    "nông nghiệp": ("KT", [
        "khung lịch thời vụ sản xuất vụ Hè Thu năm {year}",
        "phòng, chống bệnh dịch tả lợn châu Phi",
        "hỗ trợ giống lúa cho hộ bị thiệt hại do mưa lũ",
        "chuyển đổi cơ cấu cây trồng trên đất lúa kém hiệu quả",
    ]),
    "xây dựng": ("KT", [
        "cấp giấy phép xây dựng nhà ở riêng lẻ",
        "nghiệm thu công trình nhà văn hóa thôn {village}",
        "kiểm tra trật tự xây dựng trên địa bàn",
    ]),
    "nội vụ": ("NV", [
        "tuyển dụng công chức cấp xã năm {year}",
        "đánh giá, xếp loại cán bộ, công chức năm {year}",
        "sắp xếp đơn vị hành chính cấp xã",
        "cải cách hành chính và chuyển đổi số năm {year}",
    ]),
    "tư pháp": ("TP", [
        "tuyên truyền, phổ biến giáo dục pháp luật năm {year}",
        "đăng ký hộ tịch trực tuyến",
        "rà soát văn bản quy phạm pháp luật hết hiệu lực",
    ]),
    "thông tin và truyền thông": ("VP", [
        "gửi, nhận văn bản điện tử trên Trục liên thông văn bản",
        "sử dụng chữ ký số chuyên dùng trong cơ quan nhà nước",
        "bảo đảm an toàn thông tin mạng năm {year}",
        "triển khai hệ thống thư điện tử công vụ",
    ]),
    "môi trường": ("KT", [
        "thu gom, xử lý rác thải sinh hoạt trên địa bàn",
        "phòng, chống thiên tai và tìm kiếm cứu nạn năm {year}",
        "bảo vệ rừng và phòng cháy, chữa cháy rừng mùa khô",
    ]),
}

ACTIONS = {
    "quyet_dinh": ["phê duyệt", "ban hành", "giao", "thành lập Tổ công tác về", "điều chỉnh"],
    "ke_hoach": ["Triển khai", "Thực hiện", "Tổ chức"],
    "bao_cao": ["Kết quả thực hiện", "Tình hình", "Sơ kết"],
    "thong_bao": ["Kết luận của lãnh đạo về", "Lịch triển khai", "Kết quả"],
    "to_trinh": ["Đề nghị phê duyệt", "Đề nghị bổ sung kinh phí", "Đề nghị điều chỉnh"],
    "giay_moi": ["Dự hội nghị triển khai", "Dự họp bàn về", "Dự buổi làm việc về"],
    "cong_van": ["V/v triển khai", "V/v báo cáo", "V/v đôn đốc thực hiện", "V/v góp ý"],
}

MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Đình", "Xuân", "Thanh", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim"]

VILLAGES = ["Bắc Sơn", "Đồng Tâm", "Xuân Hòa", "Tân Phong", "Trung Hậu", "Yên Lạc", "Phú Lợi", "Hồng Kỳ"]

# Document types by how often a unit issues them (shares of outgoing documents,
# an assumption: công văn dominate, then reports, decisions and invitations).
TYPE_WEIGHTS = {
    "cong_van": 0.45, "bao_cao": 0.14, "quyet_dinh": 0.12, "giay_moi": 0.08,
    "ke_hoach": 0.07, "thong_bao": 0.07, "to_trinh": 0.05, "chi_thi": 0.01, "cong_dien": 0.01,
}


def leader_positions(unit: Unit) -> tuple[str, str, str]:
    """(head, deputy, collective) for a unit kind."""
    if unit.kind == UnitKind.DEPARTMENT:
        return "Giám đốc", "Phó Giám đốc", ""
    if unit.kind == UnitKind.CENTRAL_BODY:
        return "Bộ trưởng", "Thứ trưởng", ""
    return "Chủ tịch", "Phó Chủ tịch", "Ủy ban nhân dân"


@dataclass
class ContentGenerator:
    """Makes documents for a province; ``seed`` fixes every choice."""

    seed: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.faker = Faker("vi_VN")
        self.faker.seed_instance(self.seed)

    # -- people --------------------------------------------------------
    def person_name(self) -> str:
        """Surname, middle name, given name, in the Vietnamese order ('Nguyễn Văn Hùng').

        Faker's ``vi_VN`` ``name()`` puts the given name first and adds titles
        (Bà, Quý ông), so we assemble the parts ourselves."""
        if self.rng.random() < 0.5:
            middle, given = self.rng.choice(MIDDLE_MALE), self.faker.first_name_male()
        else:
            middle, given = self.rng.choice(MIDDLE_FEMALE), self.faker.first_name_female()
        return f"{self.faker.last_name()} {middle} {given}"

    def signer(self, unit: Unit, deputy: bool | None = None) -> Signer:
        head, deputy_title, collective = leader_positions(unit)
        deputy = self.rng.random() < 0.6 if deputy is None else deputy
        name = self.person_name()
        if collective:
            if deputy:
                return Signer(name, deputy_title, "KT.", head, collective=collective)
            return Signer(name, head, "TM.", collective)
        if deputy:
            return Signer(name, deputy_title, "KT.", head)
        return Signer(name, head)

    # -- text ----------------------------------------------------------
    def field(self) -> str:
        return self.rng.choice(list(FIELDS))

    def _object(self, field_name: str, year: int) -> str:
        template = self.rng.choice(FIELDS[field_name][1])
        return template.format(year=year, next_year=year + 1, quarter=self.rng.randint(1, 4),
                               village=self.rng.choice(VILLAGES))

    def subject(self, doc_type: str, field_name: str, year: int, issuer: Unit) -> str:
        action = self.rng.choice(ACTIONS.get(doc_type, ["Về việc"]))
        obj = self._object(field_name, year)
        if doc_type == "quyet_dinh":
            return f"Về việc {action} {obj}"
        if doc_type == "cong_van":
            return f"{action} {obj}"
        if doc_type in ("chi_thi", "cong_dien"):
            return f"Về việc tăng cường {obj}"
        return f"{action} {obj}"

    def body(self, doc_type: str, issuer: Unit, subject: str, field_name: str) -> tuple[str, ...]:
        topic = subject.removeprefix("Về việc ").removeprefix("V/v ")
        topic = topic[0].lower() + topic[1:]
        issuer_name = issuer.name
        if doc_type == "quyet_dinh":
            head = f"CHỦ TỊCH {issuer.name.upper()}" if issuer.kind != UnitKind.DEPARTMENT else f"GIÁM ĐỐC {issuer.name.upper()}"
            return (
                "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; "
                "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức "
                "chính quyền địa phương ngày 22 tháng 11 năm 2019;",
                "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
                f"Theo đề nghị của công chức phụ trách lĩnh vực {field_name}.",
                f"#{head}",
                "#QUYẾT ĐỊNH:",
                f"Điều 1. {subject.removeprefix('Về việc ').capitalize()} (có phụ lục kèm theo).",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
                "Điều 3. Văn phòng, các bộ phận chuyên môn và các tổ chức, cá nhân có liên quan "
                "chịu trách nhiệm thi hành Quyết định này./.",
            )
        if doc_type == "to_trinh":
            return (
                f"Căn cứ chức năng, nhiệm vụ được giao và tình hình thực tế tại địa phương, "
                f"{issuer_name} kính trình cấp có thẩm quyền xem xét nội dung sau:",
                f"1. Sự cần thiết: việc {topic} đáp ứng yêu cầu quản lý nhà nước trong lĩnh vực {field_name}.",
                "2. Nội dung đề nghị: có dự thảo và hồ sơ kèm theo.",
                "Kính trình cấp có thẩm quyền xem xét, quyết định./.",
            )
        if doc_type == "giay_moi":
            day = self.rng.randint(8, 16)
            return (
                f"{issuer_name} trân trọng kính mời đại diện lãnh đạo đơn vị dự họp về {topic}.",
                f"Thời gian: {day} giờ 00, theo lịch công tác tuần của cơ quan.",
                f"Địa điểm: Hội trường {issuer_name}.",
                "Đề nghị các đại biểu đến dự đúng thành phần, đúng giờ./.",
            )
        if doc_type == "bao_cao":
            done = self.rng.randint(60, 99)
            return (
                f"Thực hiện chỉ đạo của cấp trên về {topic}, {issuer_name} báo cáo như sau:",
                f"I. KẾT QUẢ THỰC HIỆN",
                f"Đến nay đã hoàn thành {done}% khối lượng công việc theo kế hoạch; "
                "các nhiệm vụ còn lại đang được triển khai đúng tiến độ.",
                "II. KHÓ KHĂN, VƯỚNG MẮC",
                "Nguồn lực còn hạn chế; một số thôn ở vùng sâu, vùng xa đường truyền chưa ổn định.",
                "III. ĐỀ XUẤT, KIẾN NGHỊ",
                "Đề nghị cấp trên quan tâm hỗ trợ kinh phí và tập huấn cho cán bộ, công chức./.",
            )
        return (
            f"Thực hiện nhiệm vụ được giao về {topic}, {issuer_name} đề nghị các cơ quan, "
            "đơn vị liên quan triển khai các nội dung sau:",
            f"1. Rà soát, tổng hợp tình hình thực hiện trong lĩnh vực {field_name} tại đơn vị.",
            "2. Phân công cán bộ theo dõi, đôn đốc và báo cáo kết quả đúng thời hạn.",
            "3. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời phản ánh "
            "về cơ quan chủ trì để được hướng dẫn./.",
        )

    # -- documents -----------------------------------------------------
    def document_type(self) -> str:
        kinds, weights = zip(*TYPE_WEIGHTS.items())
        return self.rng.choices(kinds, weights)[0]

    def recipients(self, issuer: Unit, province: Province, k: int | None = None) -> tuple[Recipient, ...]:
        """Units the issuer usually writes to: its parent, its children and peers."""
        pool = [u for u in province.units if u.parent == issuer.code]
        if issuer.parent:
            pool.append(province.unit(issuer.parent))
        if not pool:
            pool = [u for u in province.units if u.level == issuer.level and u.code != issuer.code]
        k = k or self.rng.randint(1, min(4, len(pool)))
        chosen = self.rng.sample(pool, min(k, len(pool)))
        return tuple(Recipient(u.name, u.code) for u in chosen)

    def document(
        self,
        issuer: Unit,
        province: Province,
        doc_type: str | None = None,
        *,
        issued: date | None = None,
        number: int | None = None,
        recipients: tuple[Recipient, ...] | None = None,
        priority: Priority | None = None,
        secrecy: Secrecy = Secrecy.NONE,
    ) -> Document:
        doc_type = document_type(doc_type).key if doc_type else self.document_type()
        issued = issued or date(2026, 1, 5) + timedelta(days=self.rng.randint(0, 300))
        field_name = self.field()
        subject = self.subject(doc_type, field_name, issued.year, issuer)
        parent = province.get(issuer.parent) if issuer.parent else None
        parent_name = parent.name if parent and issuer.kind == UnitKind.DEPARTMENT else ""
        if parent and issuer.kind == UnitKind.DEPARTMENT:
            parent_name = parent.name
        if priority is None:
            priority = Priority(self.rng.choices(range(4), (0.85, 0.1, 0.04, 0.01))[0])
        due = issued + timedelta(days=self.rng.choice((7, 10, 15))) if DOCUMENT_TYPES[doc_type].reply_due else None
        signer = self.signer(issuer)
        drafting_unit, _objects = FIELDS[field_name]
        return Document(
            issuer_code=issuer.code,
            issuer_name=issuer.name,
            issuer_abbreviation=issuer.abbreviation,
            doc_type=doc_type,
            subject=subject,
            issued_date=issued,
            place=issuer.place,
            signer=signer,
            recipients=recipients if recipients is not None else self.recipients(issuer, province),
            body=self.body(doc_type, issuer, subject, field_name),
            number=number if number is not None else self.rng.randint(1, 300),
            drafting_unit=drafting_unit,
            parent_name=parent_name,
            filed_copies=f"VT, {drafting_unit}",
            priority=priority,
            secrecy=secrecy,
            due_date=due,
            drafter_initials="".join(w[0] for w in self.person_name().split()).upper(),
            copies=self.rng.randint(2, 12),
            field_name=field_name,
        )

    def sample(self, province: Province, level: Level | None = None, doc_type: str | None = None) -> Document:
        """A document from a random unit (of ``level`` if given)."""
        units = [u for u in province.units if u.level != Level.CENTRAL and (level is None or u.level == level)]
        return self.document(self.rng.choice(units), province, doc_type)
