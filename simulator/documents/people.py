"""Who holds which post: one person per unit and post, the same in every document.

A unit's head (Chủ tịch, Giám đốc...) and its deputy are named by the pair
(identifier code, post), not by the seed of the document that happens to
mention them: the chairman of a commune signs every document of that
commune, in every world. Every unit a province has ever had (both
structures, and the units that ceased, whose codes stay reserved) is named
in code order, and a name already given is drawn again, so one person
never holds two posts in the province.
"""

from __future__ import annotations

import random
from functools import lru_cache

SURNAMES = ("Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Cao", "Thái", "Hà", "Lương", "Chu", "Tăng", "Trương")
MIDDLE_MALE = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Đình", "Xuân", "Thanh", "Ngọc", "Bá", "Trọng")
MIDDLE_FEMALE = ("Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim", "Thúy", "Hoài")
GIVEN_MALE = ("An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Lâm", "Long", "Minh",
              "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Tiến",
              "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Hòa", "Hiếu", "Kiên", "Lộc", "Tâm", "Thịnh")
GIVEN_FEMALE = ("Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ", "Hương",
                "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh",
                "Thảo", "Thu", "Thủy", "Trang", "Tuyết", "Vân", "Yến")
POSTS = ("head", "deputy")


def _draw(code: str, post: str, taken: set[str]) -> str:
    """The first name drawn for (code, post) that nobody else holds."""
    rng = random.Random(f"{code}|{post}")  # str seeds are hashed with SHA-512: the same on every run
    while True:
        if rng.random() < 0.6:
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
        else:
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"
        if name not in taken:
            return name


@lru_cache(maxsize=8)
def _roster(level1: str) -> dict[tuple[str, str], str]:
    """Every post of every unit the province of ``level1`` ('H41') ever had, named without repeats."""
    from simulator.errors import UserError
    from simulator.province import load_province

    codes: set[str] = set()
    try:
        for structure in (2024, 2025):
            province = load_province(level1, structure)
            codes.update(u.code for u in province.units)
            codes.update(u.code for u in province.former)
    except UserError:  # a central body's code: no province of its own
        return {}
    taken: set[str] = set()
    roster = {}
    for code in sorted(codes):
        for post in POSTS:
            roster[code, post] = name = _draw(code, post, taken)
            taken.add(name)
    return roster


def official_name(code: str, post: str = "head") -> str:
    """The full name of whoever holds ``post`` ('head' or 'deputy') at the unit ``code``."""
    if post not in POSTS:
        raise ValueError(f"unknown post {post!r}")
    roster = _roster(code.rsplit(".", 1)[-1])
    if (code, post) in roster:
        return roster[code, post]
    return _draw(code, post, set(roster.values()))  # a unit outside the registry (another list, a ministry)
