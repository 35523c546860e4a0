"""Believable Vietnamese documents, deterministic for a seed.

The seed chooses the type, the field and the wording; who signs is not the
seed's choice but the unit's (``people.py``: one person per unit and post).
The field fits the issuing agency (``topics.py``), the recipients fit the
type (a report and a submission go up, a decision and a plan go down) and
the wording fits the direction (``bodies.py``). The signature block agrees
with the authority: a People's Committee signs "TM. ỦY BAN NHÂN DÂN" as a
collective, but a Quyết định, Chỉ thị or Công điện of its Chủ tịch is signed
under the chairman's own authority, without "TM." (Decree 30, Appendix I).
A legal normative decision carries its year in its number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from simulator.documents import bodies
from simulator.documents.model import Document, Priority, Recipient, Secrecy, Signer
from simulator.documents.people import official_name
from simulator.documents.topics import (
    DOWN, FIELDS, PEER, UP, direction, fields_of, in_season, leader_positions, objects_for, when,
)
from simulator.documents.types import DOCUMENT_TYPES, document_type
from simulator.province.model import Level, Province, Unit, UnitKind

__all__ = ["ContentGenerator", "FIELDS", "TYPE_WEIGHTS", "leader_positions"]

MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Đình", "Xuân", "Thanh", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim"]
VILLAGES = ["Bắc Sơn", "Đồng Tâm", "Xuân Hòa", "Tân Phong", "Trung Hậu", "Yên Lạc", "Phú Lợi", "Hồng Kỳ"]

# Document types by how often a unit issues them (shares of outgoing documents,
# an assumption: công văn dominate, then reports, decisions and invitations).
TYPE_WEIGHTS = {
    "cong_van": 0.45, "bao_cao": 0.14, "quyet_dinh": 0.12, "giay_moi": 0.08,
    "ke_hoach": 0.07, "thong_bao": 0.07, "to_trinh": 0.05, "chi_thi": 0.01, "cong_dien": 0.01,
}
GOES_UP = ("bao_cao", "to_trinh")
GOES_DOWN = ("quyet_dinh", "ke_hoach", "thong_bao", "chi_thi", "cong_dien")
GOES_ACROSS = ("giay_moi",)
DIRECTIVES = ("chi_thi", "cong_dien")
HEAD_AUTHORITY = ("quyet_dinh", "chi_thi", "cong_dien")  # a committee's chairman issues these himself
EMERGENCIES = (("môi trường", "ứng phó với mưa lũ, sạt lở đất"),
               ("nông nghiệp", "phòng, chống bệnh dịch tả lợn châu Phi"),
               ("y tế", "phòng, chống dịch sốt xuất huyết"),
               ("môi trường", "phòng cháy, chữa cháy rừng trong đợt nắng nóng"))
# Who proposes a decision at a district (3-level era) or a commune (Decree 30 forms: "Theo đề nghị của ...").
DISTRICT_OFFICES = {"nội vụ": "Phòng Nội vụ", "tài chính": "Phòng Tài chính - Kế hoạch",
                    "đất đai": "Phòng Tài nguyên và Môi trường", "môi trường": "Phòng Tài nguyên và Môi trường",
                    "giáo dục": "Phòng Giáo dục và Đào tạo", "y tế": "Phòng Y tế", "tư pháp": "Phòng Tư pháp",
                    "văn hóa": "Phòng Văn hóa và Thông tin", "chuyển đổi số": "Phòng Văn hóa và Thông tin",
                    "nông nghiệp": "Phòng Nông nghiệp và Phát triển nông thôn",
                    "lao động và xã hội": "Phòng Lao động - Thương binh và Xã hội"}
ECONOMIC = ("đất đai", "môi trường", "nông nghiệp", "xây dựng", "công thương", "tài chính")


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
        """A person who holds no post: surname, middle name, given name ('Nguyễn Văn Hùng').

        Faker's ``vi_VN`` ``name()`` puts the given name first and adds titles
        (Bà, Quý ông), so we assemble the parts ourselves."""
        if self.rng.random() < 0.5:
            middle, given = self.rng.choice(MIDDLE_MALE), self.faker.first_name_male()
        else:
            middle, given = self.rng.choice(MIDDLE_FEMALE), self.faker.first_name_female()
        return f"{self.faker.last_name()} {middle} {given}"

    def signer(self, unit: Unit, deputy: bool | None = None, *, own_authority: bool = False) -> Signer:
        """The unit's head or deputy (their names are the unit's, ``people.py``), signing for the
        collective ("TM. Ủy ban nhân dân") unless the document is issued under the head's own authority."""
        head, deputy_title, collective = leader_positions(unit)
        deputy = self.rng.random() < 0.6 if deputy is None else deputy
        name = official_name(unit.code, "deputy" if deputy else "head")
        collective = "" if own_authority else collective
        if deputy:
            return Signer(name, deputy_title, "KT.", head, collective=collective)
        return Signer(name, head, "TM.", collective) if collective else Signer(name, head)

    # -- choices -------------------------------------------------------
    def document_type(self, issuer: Unit | None = None) -> str:
        weights = dict(TYPE_WEIGHTS)
        if issuer is not None and issuer.kind not in (UnitKind.PROVINCE_COMMITTEE, UnitKind.DISTRICT_COMMITTEE):
            weights.pop("chi_thi"), weights.pop("cong_dien")  # a chairman's directive and telegram
        kinds, shares = zip(*weights.items())
        return self.rng.choices(kinds, shares)[0]

    def _pool(self, issuer: Unit, province: Province, way: str) -> list[Unit]:
        units = [u for u in province.units if u.code != issuer.code]
        if way == UP:
            above = [province.get(issuer.parent)] if issuer.parent and province.get(issuer.parent) else []
            return above or [u for u in units if direction(issuer, u) == UP]
        children = [u for u in units if u.parent == issuer.code]
        if way == DOWN:
            return children or [u for u in units if direction(issuer, u) == DOWN and u.kind != UnitKind.CENTRAL_BODY]
        same = [u for u in units if direction(issuer, u) == PEER and u.kind != UnitKind.CENTRAL_BODY]
        near = [u for u in same if u.parent == issuer.parent]
        return near or same

    def recipients(self, issuer: Unit, province: Province, k: int | None = None,
                   doc_type: str = "cong_van", field: str | None = None) -> tuple[Recipient, ...]:
        """Units the issuer writes to, by where the type goes (a report up, a decision down); among
        departments, those of the ``field``."""
        if doc_type in GOES_UP:
            ways = (UP,)
        elif doc_type in GOES_DOWN:
            ways = (DOWN, UP)  # a commune's plan goes to its superior when it has no unit below
        elif doc_type in GOES_ACROSS:
            ways = (DOWN, PEER)  # one invites the units one directs, or one's peers: never one's superior
        else:
            ways = tuple(self.rng.sample((DOWN, UP, PEER), 3))
        pool = next((p for p in (self._pool(issuer, province, w) for w in ways) if p), [])
        if field is not None:  # a department hears about its own field only
            pool = [u for u in pool if u.kind != UnitKind.DEPARTMENT or field in fields_of(u)] or pool
        if not pool:
            return ()
        if not k and doc_type in DIRECTIVES:  # a directive or a telegram goes to the units that must act
            k = min(len(pool), self.rng.randint(3, 6))
        k = k or (1 if pool[0].code == issuer.parent else self.rng.randint(1, min(3, len(pool))))
        chosen = sorted(self.rng.sample(pool, min(k, len(pool))), key=lambda u: u.code)
        return tuple(Recipient(u.name, u.code) for u in chosen)

    def _object(self, field: str, day: date, issuer: Unit) -> str:
        """An object of work of ``field`` that fits the season of ``day`` and the issuer's level (a village's
        cultural house is a commune's business, not a province's)."""
        local = issuer.kind in (UnitKind.COMMUNE_COMMITTEE, UnitKind.DISTRICT_COMMITTEE)
        template = self.rng.choice(objects_for(FIELDS[field], day, local))
        return template.format(**when(day), village=self.rng.choice(VILLAGES))

    @staticmethod
    def _addressee(recipients: list[Unit | None], names: tuple[str, ...]) -> str:
        if len(names) == 1:
            return names[0]
        kinds = {u.kind for u in recipients if u is not None}
        if kinds == {UnitKind.COMMUNE_COMMITTEE}:
            return "Ủy ban nhân dân các xã, phường"
        if kinds == {UnitKind.DEPARTMENT}:
            return "các sở, ban, ngành"
        if kinds == {UnitKind.CENTRAL_BODY}:  # ministries are named, not "các cơ quan, đơn vị"
            return ", ".join(names[:-1]) + " và " + names[-1]
        return "các cơ quan, đơn vị"

    def _proposer(self, issuer: Unit, province: Province, field: str, day: date) -> str:
        if issuer.kind == UnitKind.DEPARTMENT:
            if issuer.name.startswith("Văn phòng"):
                return "Trưởng phòng Hành chính - Tổ chức"
            return "Chánh Văn phòng Sở" if issuer.name.startswith("Sở") else f"Chánh Văn phòng {issuer.name}"
        if issuer.kind == UnitKind.PROVINCE_COMMITTEE:
            for dept in province.departments:
                if field in fields_of(dept):
                    return f"{leader_positions(dept)[0]} {dept.name}"
            return "Chánh Văn phòng Ủy ban nhân dân tỉnh"
        if issuer.kind == UnitKind.DISTRICT_COMMITTEE:
            office = DISTRICT_OFFICES.get(field, "Phòng Kinh tế và Hạ tầng")
            return f"Trưởng phòng {office.removeprefix('Phòng ')}"  # the post in lower case (Appendix II)
        if province.structure >= 2025:  # a 2-level commune's offices
            if field in ECONOMIC:
                return "Trưởng phòng Kinh tế"
            return "Trưởng phòng Văn hóa - Xã hội" if field in FIELDS and FIELDS[field].code == "VX" \
                else bodies.office_head(issuer, day)
        return bodies.office_head(issuer, day)  # before 1/7/2025: "công chức Văn phòng - Thống kê"

    # -- documents -----------------------------------------------------
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
        doc_type = document_type(doc_type).key if doc_type else self.document_type(issuer)
        issued = issued or date(2026, 1, 5) + timedelta(days=self.rng.randint(0, 300))
        if doc_type == "cong_dien":
            field, obj = self.rng.choice([e for e in EMERGENCIES if in_season(e[1], issued)] or EMERGENCIES)
        else:
            field = self.rng.choice(fields_of(issuer))
            obj = self._object(field, issued, issuer)
        if recipients is None:
            recipients = self.recipients(issuer, province, doc_type=doc_type, field=field)
        units = [province.get(r.code) if r.code else None for r in recipients]
        way = direction(issuer, units[0]) if units else PEER
        committee = issuer.kind != UnitKind.DEPARTMENT and issuer.kind != UnitKind.CENTRAL_BODY
        normative = (doc_type == "quyet_dinh" and self.rng.random() < 0.25 and (
            issuer.kind == UnitKind.PROVINCE_COMMITTEE
            or (issuer.kind == UnitKind.COMMUNE_COMMITTEE and province.structure >= 2025)))
        if normative:
            subject = f"Ban hành Quy định về {FIELDS[field].regulation}"
        else:
            key = doc_type if doc_type in bodies.SUBJECTS else "other" if DOCUMENT_TYPES[doc_type].abbreviation else way
            subject = self.rng.choice(bodies.SUBJECTS[key]).format(obj=obj)
        own = doc_type in HEAD_AUTHORITY and not normative
        signer = self.signer(issuer, own_authority=own)
        head, _deputy, _collective = leader_positions(issuer)
        draft = Document(issuer_code=issuer.code, issuer_name=issuer.name, issuer_abbreviation=issuer.abbreviation,
                         doc_type=doc_type, subject=subject, issued_date=issued, place=issuer.place, signer=signer,
                         recipients=recipients, normative=normative, head_authority=own or not committee)
        chair = f"{signer.full_name}, {signer.position} {issuer.name}"
        text = bodies.body(bodies.Context(
            issuer=issuer, doc_type=doc_type, subject=subject, obj=obj, field=FIELDS[field], day=issued,
            direction=way, addressee=self._addressee(units, tuple(r.name for r in recipients)) if recipients
            else "các cơ quan, đơn vị", authority_line=draft.authority_line, head=head, chair=chair,
            proposer=self._proposer(issuer, province, field, issued), normative=normative, rng=self.rng))
        parent = province.get(issuer.parent) if issuer.parent else None
        if priority is None:
            priority = Priority(self.rng.choices(range(4), (0.85, 0.1, 0.04, 0.01))[0])
        due = issued + timedelta(days=self.rng.choice((7, 10, 15))) if DOCUMENT_TYPES[doc_type].reply_due else None
        drafting_unit = "VP" if not committee else FIELDS[field].code
        return Document(
            issuer_code=issuer.code,
            issuer_name=issuer.name,
            issuer_abbreviation=issuer.abbreviation,
            doc_type=doc_type,
            subject=subject,
            issued_date=issued,
            place=issuer.place,
            signer=signer,
            recipients=recipients,
            body=text,
            number=number if number is not None else self.rng.randint(1, 300),
            drafting_unit=drafting_unit,
            parent_name=parent.name if parent and issuer.kind == UnitKind.DEPARTMENT else "",
            filed_copies=f"VT, {drafting_unit}",
            priority=priority,
            secrecy=secrecy,
            due_date=due,
            drafter_initials="".join(w[0] for w in self.person_name().split()).upper(),
            copies=self.rng.randint(2, 12),
            field_name=field,
            normative=normative,
            head_authority=draft.head_authority,
        )

    def sample(self, province: Province, level: Level | None = None, doc_type: str | None = None) -> Document:
        """A document from a random unit (of ``level`` if given)."""
        units = [u for u in province.units if u.level != Level.CENTRAL and (level is None or u.level == level)]
        return self.document(self.rng.choice(units), province, doc_type)
