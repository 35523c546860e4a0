"""The table of plan 338/KH-UBND (Nghệ An, 30/5/2018) as the plan lays it out.

Sections I–IV with their headings; in each, the plan's rows in order: the
measured rows (their wording and targets are :data:`indicators.PLAN_ROWS`,
the one copy of them), the rows the plan states as text (I.3, II.2, III.2:
no percentage, a rule), and the "signed / scanned" rows split into their two
sub-rows (I.4a signed digitally, I.4b scanned from paper; likewise II.4,
III.4), each with its own column of targets (DOMAIN.md §7: 10% / 90% …).

The section headings and the text rows' wording are written from DOMAIN.md
§7 (its seed table gives the numeric rows; the paper exceptions of 2019 are
quoted in its prose): the plan's original text of those lines is not in this
repository, so they are stated in the plan's terms, not quoted.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.flows.indicators import AT_LEAST, AT_MOST, PLAN_ROWS

MEASURED, TEXT, PARENT, SUB = "measured", "text", "parent", "sub"
AS_THE_RULES = "As the rules require"   # a text row's target (msgid; Vietnamese: "Theo quy định")


@dataclass(frozen=True)
class Section:
    id: str          # "I"
    vi: str          # the heading in Vietnamese
    en: str          # the heading in English (msgid)


@dataclass(frozen=True)
class PlanRow:
    """One line of the plan's table.

    ``kind``: MEASURED (a share the world measures, ``kpi`` names it), TEXT (the
    plan states a rule, not a number), PARENT (a "signed / scanned" line whose
    numbers are in its two SUB rows), SUB (one half of such a line; ``complement``:
    the value is 1 − the parent's measured share, e.g. scanned = not signed)."""

    id: str
    section: str
    kind: str
    vi: str
    en: str
    targets: tuple[str | float, ...] = ()   # 2018 (Hiện trạng), 2019, 2020
    direction: str = AT_LEAST
    kpi: str = ""                          # the measured key (``I.4`` for both I.4a and I.4b)
    complement: bool = False
    model_note_vi: str = ""                # a text row: what the model can say about it
    model_note_en: str = ""
    cause_kpi: str = ""                    # a text row: the measured share that answers it, if any


SECTIONS = (
    Section("I", "Văn bản trao đổi trong nội bộ cơ quan nhà nước", "Documents within a state agency"),
    Section("II", "Văn bản trao đổi giữa các cơ quan nhà nước", "Documents between state agencies"),
    Section("III", "Văn bản trao đổi giữa cơ quan nhà nước với doanh nghiệp, người dân",
            "Documents between state agencies and businesses or citizens"),
    Section("IV", "Hạ tầng, trang thiết bị và điều kiện bảo đảm", "Infrastructure, equipment and conditions"),
)

_PAPER_RULE_VI = ("văn bản quy phạm pháp luật; văn bản về tài chính, nhân sự, khiếu nại; văn bản gửi cá nhân; "
                  "văn bản mật")
_PAPER_RULE_EN = "legal normative documents; finance, personnel and complaint documents; documents to individuals; " \
                 "secret documents"

# The text rows: the plan names the cases still sent on paper; the model measures how many documents
# those rules kept on paper (why.<group>.exception) and leaves secret ones out of rows I–III.
TEXT_ROWS = {
    "I.3": PlanRow("I.3", "I", TEXT, "Văn bản nội bộ còn gửi bản giấy theo quy định: " + _PAPER_RULE_VI,
                   "Internal documents still sent on paper as the rules require: " + _PAPER_RULE_EN,
                   targets=(AS_THE_RULES,) * 3, cause_kpi="why.I.exception",
                   model_note_vi="mô hình đo phần văn bản giữ bản giấy do ngoại lệ của quy định; văn bản mật "
                                 "không tính vào mục I",
                   model_note_en="the model measures the share kept on paper by the rules' exceptions; secret "
                                 "documents are outside section I"),
    "II.2": PlanRow("II.2", "II", TEXT, "Văn bản giữa các cơ quan còn gửi kèm bản giấy theo quy định: "
                    + _PAPER_RULE_VI,
                    "Documents between agencies still sent with paper as the rules require: " + _PAPER_RULE_EN,
                    targets=(AS_THE_RULES,) * 3, cause_kpi="why.II.exception",
                    model_note_vi="mô hình đo phần văn bản còn gửi giấy do ngoại lệ của quy định",
                    model_note_en="the model measures the share still on paper because of the rules' exceptions"),
    "III.2": PlanRow("III.2", "III", TEXT, "Văn bản gửi doanh nghiệp, người dân còn gửi bản giấy theo quy định "
                     "(văn bản gửi cá nhân; người dân chưa có địa chỉ điện tử)",
                     "Documents to businesses and citizens still on paper as the rules require (documents to "
                     "individuals; citizens without an electronic address)",
                     targets=(AS_THE_RULES,) * 3, cause_kpi="why.III.exception",
                     model_note_vi="mô hình đo phần văn bản còn gửi giấy do ngoại lệ của quy định",
                     model_note_en="the model measures the share still on paper because of the rules' exceptions"),
}
_TEXT_AFTER = {"I.2": "I.3", "II.1": "II.2", "III.1": "III.2"}
_SIGNED_ROWS = ("I.4", "II.4", "III.4")


def _section(rid: str) -> str:
    return rid.split(".")[0]


def plan_rows() -> tuple[PlanRow, ...]:
    """Every line of the plan's table, in the plan's order (sections are :data:`SECTIONS`)."""
    rows: list[PlanRow] = []
    for rid, vi, en, direction, targets in PLAN_ROWS:
        if rid in _SIGNED_ROWS:
            split = tuple(f"{round(100 * t)}% / {round(100 * (1 - t))}%" for t in targets)
            rows.append(PlanRow(rid, _section(rid), PARENT, vi, en, split, direction, rid))
            rows.append(PlanRow(rid + "a", _section(rid), SUB, "Có chữ ký số", "Digitally signed", targets,
                                AT_LEAST, rid))
            rows.append(PlanRow(rid + "b", _section(rid), SUB, "Scan từ bản giấy", "Scanned from paper",
                                tuple(round(1 - t, 4) for t in targets), AT_MOST, rid, complement=True))
        else:
            rows.append(PlanRow(rid, _section(rid), MEASURED, vi, en, targets, direction, rid))
        if rid in _TEXT_AFTER:
            rows.append(TEXT_ROWS[_TEXT_AFTER[rid]])
    return tuple(rows)


def row_ids() -> tuple[str, ...]:
    return tuple(r.id for r in plan_rows())


__all__ = ["AT_LEAST", "AT_MOST", "MEASURED", "PARENT", "SECTIONS", "SUB", "TEXT", "PlanRow", "Section",
           "plan_rows", "row_ids"]
