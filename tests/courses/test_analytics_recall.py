"""Analytics and recalls in a class (issue 15): refusing (16) a recall a classmate's seat sent (an inbox item
``L…``) is not a mistake, refusing the world's still is; the class's journal lines are named in Vietnamese."""

from __future__ import annotations

from simulator.grading.analytics import action_label, journal_mistakes


def _line(seq: int, action: str, **data) -> dict:
    return {"seq": seq, "action": action, "data": data, "at": "2025-03-04T08:00:00+07:00"}


def test_refusing_a_classmates_recall_is_not_a_mistake():
    entries = [_line(1, "class_receive", item="L001"), _line(2, "class_receive", item="L002"),
               _line(3, "recall", item="L002", agree=False, reason="Văn bản đã được triển khai tại xã", code="16"),
               _line(4, "receive", item="004"),
               _line(5, "recall", item="004", agree=False, reason="", code="16"),
               _line(6, "recall", item="005", agree=True, reason="", code="15")]
    mistakes, lines = journal_mistakes(entries)
    assert dict(mistakes) == {"refused_recall": 1} and lines == {"refused_recall": [5]}


def test_the_class_lines_are_named_in_vietnamese():
    assert action_label("recall_sent") == "Thu hồi văn bản đã gửi"
    assert action_label("recall_answers") == "Nhận trả lời đề nghị thu hồi"
    assert action_label("class_receive") == "Nhận văn bản từ học viên khác trong lớp"
    assert action_label("class_status") == "Nhận trạng thái từ học viên khác trong lớp"
    assert action_label("class_sent") == "Gửi văn bản đến học viên khác trong lớp"
    assert action_label("no_such_line") == "no_such_line"
