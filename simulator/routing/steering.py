"""``SteeringType`` of an envelope by what the document is (QCVN 102:2016, ``MessageHeader/SteeringType``).

QCVN 102:2016/BTTTT gives the codes (DOMAIN.md §5): **1** not a directive,
**2** a directive (văn bản chỉ đạo, điều hành), **3** a report on a
directive. It leaves to the sender which of its documents direct; the rule
here follows what Decree 30/2020/NĐ-CP's types are for (Appendix III) and
which way the document goes:

========================================  ===============================================
the document                              SteeringType
========================================  ===============================================
a reply (it carries ``ResponseFor``)      3 when the document it answers is a directive,
                                          else 1; never 2 (a commune's reply directs no one)
Chỉ thị, Công điện                        2: they exist to direct (a công điện: urgent
                                          direction by telegraph-style message)
Quyết định, Kế hoạch, Công văn,           2 when issued down to units the issuer directs
Hướng dẫn, Chương trình                   (a superior to its subordinates), else 1
Tờ trình, Báo cáo, Thông báo, Giấy mời,   1: they submit, report, inform or invite
Biên bản and every other type
========================================  ===============================================

"Down" is :func:`simulator.documents.topics.direction` over the recipients
when the province is known (a department guides the districts and
communes), otherwise it is read from the identifier codes: a recipient
below the issuer in the code's levels (``000.00.40.H41`` under
``000.00.00.H41``) is down, above is up. When only the DocumentId of the
answered document is known, not its own SteeringType, a reply that goes up
to its superior is taken to answer a directive (directives come down).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from simulator.errors import UserError
from simulator.province import codes as idcodes
from simulator.routing.envelope import SteeringType

if TYPE_CHECKING:
    from simulator.documents.model import Document
    from simulator.province.model import Province

UP, DOWN, PEER = "up", "down", "peer"  # the words of simulator.documents.topics

ALWAYS_DIRECTIVE = frozenset({"chi_thi", "cong_dien"})
DIRECTIVE_WHEN_DOWN = frozenset({"quyet_dinh", "ke_hoach", "cong_van", "huong_dan", "chuong_trinh"})


def _depth_way(issuer: str, recipient: str) -> str:
    """Up, down or across by the identifier codes' levels alone."""
    try:
        mine, theirs = idcodes.parse(issuer), idcodes.parse(recipient)
    except UserError:  # a code from outside may be malformed: no direction then
        return PEER
    if mine.level1 != theirs.level1:  # another province or a central body: the centre is above
        return UP if theirs.is_central and not mine.is_central else PEER
    if theirs.depth > mine.depth:
        return DOWN
    return UP if theirs.depth < mine.depth else PEER


def way_of(issuer_code: str, recipient_codes: Iterable[str], province: "Province | None" = None) -> str:
    """Which way a document goes: ``down`` when every recipient is below the issuer, ``up`` when every
    one is above, else ``peer`` (also with no known recipient)."""
    codes = [c for c in recipient_codes if c]
    if not codes:
        return PEER
    ways = set()
    issuer = province.get(issuer_code) if province is not None else None
    for code in codes:
        unit = province.get(code) if province is not None else None
        if issuer is not None and unit is not None:
            from simulator.documents.topics import direction

            ways.add(direction(issuer, unit))
        else:
            ways.add(_depth_way(issuer_code, code))
    return ways.pop() if len(ways) == 1 else PEER


def steering_of(doc_type: str, way: str, *, answers: int | None = None, is_reply: bool = False) -> SteeringType:
    """The SteeringType of a document of ``doc_type`` going ``way``.

    ``is_reply``: it answers another document; ``answers``: that document's
    SteeringType when known (``None``: only its DocumentId is known)."""
    if is_reply:
        directive = answers == SteeringType.DIRECTIVE if answers is not None else way == UP
        return SteeringType.REPORT_ON_DIRECTIVE if directive else SteeringType.NOT_DIRECTIVE
    if doc_type in ALWAYS_DIRECTIVE or (doc_type in DIRECTIVE_WHEN_DOWN and way == DOWN):
        return SteeringType.DIRECTIVE
    return SteeringType.NOT_DIRECTIVE


def document_steering(doc: "Document", province: "Province | None" = None, *, answers: int | None = None,
                      is_reply: bool = False) -> SteeringType:
    """:func:`steering_of` for a :class:`~simulator.documents.model.Document` and its recipients."""
    way = way_of(doc.issuer_code, (r.code for r in doc.recipients), province)
    return steering_of(doc.doc_type, way, answers=answers, is_reply=is_reply)
