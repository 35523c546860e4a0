"""The administrator's review of the mailboxes against the identifier list, and indicator IV.4.

The identifier list is the province's units (``simulator.province``) and the
staff on record (who works at which unit: the registry's user accounts, or
any list of :class:`StaffMember`). A person's mailbox answers to a staff
member with the same unit and the same name (tone marks and case ignored);
two people of one name in one unit need two mailboxes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from simulator.mail.accounts import Account, MailBook
from simulator.mail.address import person_address
from simulator.text import fold


@dataclass(frozen=True)
class StaffMember:
    full_name: str
    unit: str                # identifier code
    position: str = ""


@dataclass(frozen=True)
class Review:
    missing_units: tuple      # units (code, name) without an active unit mailbox
    missing_staff: tuple      # StaffMember without an active personal mailbox
    left: tuple               # active Accounts nobody on the list answers to (left, moved, unit ceased)
    disabled: tuple           # disabled Accounts (for the record)

    @property
    def clean(self) -> bool:
        return not (self.missing_units or self.missing_staff or self.left)


def _key(unit: str, name: str) -> tuple[str, str]:
    return unit, " ".join(fold(name).split())


def review(book: MailBook, units, staff, *, unit: str | None = None) -> Review:
    """Who is missing a mailbox and whose mailbox outlived them; ``unit`` limits it to one unit."""
    units = [u for u in units if unit is None or u.code == unit]
    codes = {u.code for u in units}
    staff = [s for s in staff if unit is None or s.unit == unit]
    accounts = [a for a in book.accounts() if unit is None or a.unit == unit]
    active = [a for a in accounts if a.active]
    unit_boxes = {a.unit for a in active if a.kind == "unit"}
    missing_units = tuple((u.code, u.name) for u in units if u.code not in unit_boxes)

    wanted = Counter(_key(s.unit, s.full_name) for s in staff)
    boxes = Counter(_key(a.unit, a.name) for a in active if a.kind == "person")
    missing, seen = [], Counter()
    for s in staff:
        k = _key(s.unit, s.full_name)
        seen[k] += 1
        if seen[k] > boxes[k]:
            missing.append(s)
    left, used = [], Counter()
    for a in active:
        if a.kind == "unit":
            if a.unit not in codes and unit is None:
                left.append(a)
            continue
        k = _key(a.unit, a.name)
        used[k] += 1
        if used[k] > wanted[k]:
            left.append(a)
    return Review(missing_units, tuple(missing), tuple(left), tuple(a for a in accounts if not a.active))


def mailbox_share(book: MailBook, staff) -> float:
    """Indicator IV.4, staff with an official mailbox: the share of ``staff`` with an active personal
    mailbox (0.0 for an empty list). Counted from the real accounts of the mail folder."""
    staff = list(staff)
    if not staff:
        return 0.0
    boxes = Counter(_key(a.unit, a.name) for a in book.accounts(include_disabled=False) if a.kind == "person")
    have = 0
    for s in staff:
        k = _key(s.unit, s.full_name)
        if boxes[k] > 0:
            boxes[k] -= 1
            have += 1
    return have / len(staff)


def staff_from_accounts(accounts: list[Account]) -> list[StaffMember]:
    """The people a set of accounts stands for (for a list saved before people left)."""
    return [StaffMember(a.name, a.unit, a.position) for a in accounts if a.kind == "person"]


def unit_shares(book: MailBook, staff) -> dict[str, float]:
    """IV.4 per unit (identifier code → share of its staff on record with an active personal mailbox), for a
    world that takes each unit's mailbox share from the real accounts instead of drawing it."""
    by_unit: dict[str, list[StaffMember]] = {}
    for s in staff:
        by_unit.setdefault(s.unit, []).append(s)
    return {code: mailbox_share(book, members) for code, members in by_unit.items()}


def provision_missing(book: MailBook, found: Review, units, slugs: dict[str, str]) -> list[tuple[str, str]]:
    """Create the mailboxes a review found missing (units, then people; a second person of the same name
    in a unit gets ``an2.…``), in one batch; return (address, generated password) for each."""
    by_code = {u.code: u for u in units}
    made = []
    with book.batch():
        for code, _name in found.missing_units:
            account, password = book.add_unit(by_code[code], slugs[code])
            made.append((account.address, password))
        for person in found.missing_staff:
            unit = by_code.get(person.unit)
            if unit is None:
                continue
            number = None
            while book.account(person_address(person.full_name, slugs[unit.code], book.domain, number)):
                number = (number or 1) + 1
            account, password = book.add_person(unit, slugs[unit.code], person.full_name, position=person.position,
                                                number=number)
            made.append((account.address, password))
    return made
