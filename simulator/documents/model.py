"""The Document: what Decree 30 (Art. 8, Appendix VI) and edXML need."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum, IntEnum

from simulator.documents.types import DocumentType, document_type
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.text import nfc

_ = translator("vbdt")

AUTHORITY_PREFIXES = ("", "TM.", "KT.", "Q.", "TL.", "TUQ.")


class Priority(IntEnum):
    """edXML OtherInfo/Priority (QCVN 102)."""

    NORMAL = 0        # thường
    URGENT = 1        # khẩn
    VERY_URGENT = 2   # thượng khẩn
    EXPRESS = 3       # hỏa tốc
    EXPRESS_TIMED = 4 # hỏa tốc hẹn giờ

    @property
    def label_vi(self) -> str:
        return ("Thường", "Khẩn", "Thượng khẩn", "Hỏa tốc", "Hỏa tốc hẹn giờ")[self]


class Secrecy(str, Enum):
    NONE = ""
    SECRET = "MẬT"
    TOP_SECRET = "TỐI MẬT"
    ABSOLUTE = "TUYỆT MẬT"


@dataclass(frozen=True)
class Signer:
    """The person with authority and how they sign (Decree 30, Appendix I).

    ``TM.`` signs for a collective (``on_behalf`` = "Ủy ban nhân dân"); ``KT.``
    for the head (``on_behalf`` = "Chủ tịch"), optionally under a collective
    (``collective``), giving three lines: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH /
    PHÓ CHỦ TỊCH."""

    full_name: str
    position: str                 # "Chủ tịch", "Phó Chủ tịch", "Giám đốc"...
    authority: str = ""           # TM., KT., Q., TL., TUQ.
    on_behalf: str = ""
    collective: str = ""

    def __post_init__(self) -> None:
        if self.authority not in AUTHORITY_PREFIXES:
            raise UserError(_("Unknown signing authority {value!r}; use one of TM., KT., Q., TL., TUQ.",
                              value=self.authority), field="signer.authority")
        if not self.full_name.strip() or not self.position.strip():
            raise UserError(_("The signer needs a full name and a position."), field="signer")

    @property
    def block_lines(self) -> list[str]:
        """Upper lines of the signature block, e.g. ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH']."""
        lines = [f"TM. {self.collective.upper()}"] if self.collective else []
        if self.authority == "Q.":
            lines.append(f"Q. {self.position.upper()}")
        elif self.authority and self.on_behalf:
            lines.append(f"{self.authority} {self.on_behalf.upper()}")
            lines.append(self.position.upper())
        else:
            lines.append(self.position.upper())
        return lines

    def in_own_name(self) -> "Signer":
        """The same person signing under the head's own authority: no ``TM.`` line (Decree 30,
        Appendix I: a Quyết định of the "CHỦ TỊCH ỦY BAN NHÂN DÂN ..." is signed "CHỦ TỊCH" or
        "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")."""
        if self.authority == "TM.":  # the head signing for the collective signs for himself
            return Signer(self.full_name, self.position)
        return replace(self, collective="") if self.collective else self

    @property
    def competence(self) -> str:
        """edXML SignerInfo/Competence: the authority line ('TM. Ủy ban nhân dân')."""
        if self.authority and self.on_behalf:
            return f"{self.authority} {self.on_behalf}"
        return f"TM. {self.collective}" if self.collective else ""


@dataclass(frozen=True)
class Recipient:
    name: str
    code: str = ""  # identifier code when the recipient is an agency in the registry


@dataclass(frozen=True)
class Document:
    issuer_code: str
    issuer_name: str                  # "Ủy ban nhân dân xã Diễn Kim"
    issuer_abbreviation: str          # "UBND"
    doc_type: str                     # key in DOCUMENT_TYPES
    subject: str                      # trích yếu (≤ 500 characters, Appendix VI)
    issued_date: date
    place: str                        # "Diễn Kim" -> "Diễn Kim, ngày 05 tháng 02 năm 2026"
    signer: Signer
    recipients: tuple[Recipient, ...]
    body: tuple[str, ...] = ()
    number: int | None = None
    drafting_unit: str = ""           # công văn code: UBND-VX
    parent_name: str = ""             # cơ quan chủ quản, printed above the issuer
    filed_copies: str = "VT"          # "Lưu: VT, VX."
    priority: Priority = Priority.NORMAL
    secrecy: Secrecy = Secrecy.NONE
    due_date: date | None = None
    attachments: tuple[str, ...] = ()
    drafter_initials: str = ""
    copies: int = 0
    field_name: str = ""              # lĩnh vực: đất đai, y tế...
    language: str = "vi"
    normative: bool = False           # a legal normative document: its number carries the year
    head_authority: bool = False      # issued under the head's own authority, not the collective's

    def __post_init__(self) -> None:
        for name in ("issuer_name", "subject", "place", "parent_name", "drafting_unit"):
            object.__setattr__(self, name, nfc(getattr(self, name)))
        object.__setattr__(self, "body", tuple(nfc(p) for p in self.body))
        if self.head_authority:  # the signature block agrees with the authority line, whoever built the signer
            object.__setattr__(self, "signer", self.signer.in_own_name())
        if len(self.subject) > 500:
            raise UserError(_("The subject has {n} characters; Appendix VI allows at most 500.",
                              n=len(self.subject)), field="subject")
        document_type(self.doc_type)
        if self.number is not None and self.number < 1:
            raise UserError(_("A document number starts at 1, got {n}.", n=self.number), field="number")

    @property
    def type(self) -> DocumentType:
        return document_type(self.doc_type)

    @property
    def code_notation(self) -> str:
        """Ký hiệu: 'QĐ-UBND'; for a công văn the agency and drafting unit: 'UBND-VX'; a legal
        normative document carries its year before the type: '2026/QĐ-UBND' (DOMAIN.md §3)."""
        if self.type.abbreviation:
            year = f"{self.issued_date.year}/" if self.normative else ""
            return f"{year}{self.type.abbreviation}-{self.issuer_abbreviation}"
        return "-".join(p for p in (self.issuer_abbreviation, self.drafting_unit) if p)

    @property
    def authority_line(self) -> str:
        """Thẩm quyền ban hành of a Quyết định: 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NGHỆ AN' under the
        head's own authority, 'ỦY BAN NHÂN DÂN TỈNH NGHỆ AN' for the collective (Appendix I)."""
        if not self.head_authority:
            return self.issuer_name.upper()
        s = self.signer
        head = s.on_behalf if s.authority in ("KT.", "TL.", "TUQ.") and s.on_behalf else s.position
        return f"{head} {self.issuer_name}".upper()

    @property
    def number_text(self) -> str:
        """Arabic digits, a leading zero below 10."""
        return "" if self.number is None else f"{self.number:02d}"

    @property
    def number_code(self) -> str:
        """'05/QĐ-UBND' (no spaces; '/' then '-')."""
        return f"{self.number_text}/{self.code_notation}" if self.number is not None else f"/{self.code_notation}"

    @property
    def document_id(self) -> str:
        """National DocumentId: '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT'."""
        return f"{self.issuer_code},{self.issued_date:%Y/%m/%d},{self.number_code}"

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NONE

    @property
    def date_line(self) -> str:
        """'Nghệ An, ngày 05 tháng 02 năm 2026': day < 10 and months 1-2 with a leading zero."""
        d = self.issued_date
        month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
        return f"{self.place}, ngày {d.day:02d} tháng {month} năm {d.year}"

    def with_number(self, number: int, issued_date: date | None = None) -> "Document":
        """The document as issued: its number (and date of issue, when given)."""
        return replace(self, number=number, issued_date=issued_date or self.issued_date)
