"""Read a document specification (YAML) into a Document, naming any missing component.

Example::

    province: Nghệ An          # optional (default Nghệ An)
    issuer: Xã Diễn Châu       # a unit's name or identifier code, as the province stood on `date`
    type: Công văn             # key, name or abbreviation (Appendix III)
    number: 12
    date: 2026-03-02
    subject: V/v báo cáo kết quả thu ngân sách quý I năm 2026
    signer: {full_name: Nguyễn Văn An, position: Chủ tịch, authority: TM., on_behalf: Ủy ban nhân dân}
    recipients: [Sở Tài chính]
    normative: false           # a legal normative document: "12/2026/QĐ-UBND"
    head_authority: false      # issued under the head's own authority: signed without "TM."
    body:
      - Thực hiện ...

The issuer and the recipients are looked up in the province as it stood on
the document's date (``load_province(on=date)``: 3 levels before 1/7/2025,
2 from then, and that day's agencies); ``structure: 2024|2025`` forces a
structure.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from simulator.documents.model import Document, Priority, Recipient, Secrecy, Signer
from simulator.documents.types import document_type
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.province import load_province

_ = translator("vbdt")

# Decree 30, Art. 8: the components a document cannot go without.
REQUIRED = {
    "issuer": "tên cơ quan ban hành",
    "type": "tên loại văn bản",
    "date": "thời gian ban hành",
    "subject": "trích yếu nội dung",
    "body": "nội dung",
    "signer": "chức vụ, họ tên người ký",
    "recipients": "nơi nhận",
}
KNOWN = set(REQUIRED) | {"province", "structure", "number", "place", "priority", "secrecy",
                         "due_date", "attachments", "drafting_unit", "filed_copies", "parent_name",
                         "normative", "head_authority"}


def _date(value, field: str, source: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UserError(_("{source}: field '{field}' is not a date (YYYY-MM-DD): {value!r}.",
                          source=source, field=field, value=value), field=field) from None


def document_from_spec(spec: dict, source: str = "spec") -> Document:
    if not isinstance(spec, dict):
        raise UserError(_("{source}: a document specification must be a mapping of fields.", source=source))
    unknown = sorted(set(spec) - KNOWN)
    if unknown:
        raise UserError(_("{source}: unknown field '{field}'.", source=source, field=unknown[0]), field=unknown[0])
    for key, label in REQUIRED.items():
        if spec.get(key) in (None, "", [], {}):
            raise UserError(_("{source}: the required component '{field}' ({label}) is missing.",
                              source=source, field=key, label=label), field=key)
    issued = _date(spec["date"], "date", source)
    province = load_province(spec.get("province", "Nghệ An"), spec.get("structure"), on=issued)
    issuer = province.find(str(spec["issuer"]))
    kind = document_type(spec["type"])
    signer_spec = spec["signer"]
    if not isinstance(signer_spec, dict) or not signer_spec.get("full_name") or not signer_spec.get("position"):
        raise UserError(_("{source}: 'signer' needs full_name and position.", source=source), field="signer")
    signer = Signer(**{k: str(v) for k, v in signer_spec.items()
                       if k in ("full_name", "position", "authority", "on_behalf", "collective")})
    recipients = []
    for entry in spec["recipients"]:
        try:
            unit = province.find(str(entry))
            recipients.append(Recipient(unit.name, unit.code))
        except UserError:
            recipients.append(Recipient(str(entry)))  # a person or body outside the registry
    body = spec["body"] if isinstance(spec["body"], list) else [spec["body"]]
    try:
        priority = Priority(int(spec.get("priority", 0)))
    except ValueError:
        raise UserError(_("{source}: 'priority' must be 0-4.", source=source), field="priority") from None
    try:
        secrecy = Secrecy(spec.get("secrecy", "") or "")
    except ValueError:
        raise UserError(_("{source}: 'secrecy' must be empty, MẬT, TỐI MẬT or TUYỆT MẬT.", source=source),
                        field="secrecy") from None
    number = spec.get("number")
    if number is not None and (not isinstance(number, int) or number < 1):
        raise UserError(_("{source}: 'number' must be a whole number from 1.", source=source), field="number")
    return Document(
        issuer_code=issuer.code,
        issuer_name=issuer.name,
        issuer_abbreviation=issuer.abbreviation,
        doc_type=kind.key,
        subject=str(spec["subject"]),
        issued_date=issued,
        place=str(spec.get("place") or issuer.place),
        signer=signer,
        recipients=tuple(recipients),
        body=tuple(str(p) for p in body),
        number=number,
        drafting_unit=str(spec.get("drafting_unit", "")),
        parent_name=str(spec.get("parent_name", "")),
        filed_copies=str(spec.get("filed_copies", "VT")),
        priority=priority,
        secrecy=secrecy,
        due_date=_date(spec["due_date"], "due_date", source) if spec.get("due_date") else None,
        attachments=tuple(str(a) for a in spec.get("attachments", ())),
        normative=bool(spec.get("normative", False)),
        head_authority=bool(spec.get("head_authority", False)),
    )


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text so a bad one is reported by field."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_spec(path: str | Path) -> Document:
    path = Path(path)
    if not path.exists():
        raise UserError(_("File not found: {path}", path=path))
    try:
        spec = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise UserError(_("{source}{where}: not valid YAML.", source=path.name, where=where)) from None
    return document_from_spec(spec, path.name)
