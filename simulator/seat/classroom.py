"""A class: several seats in one world, exchanging through one real axis server.

The instructor opens a class (``class.json`` in the class folder): the world
(province, structure, scenario, seed, start) and the units of the class, a
district and its communes or a department and the communes. Every seat of the
class runs that same world from the same seed and start, so the automated
desks of the units nobody holds are the same for everyone; what passes between
the seats held by trainees goes through the class's axis server
(``vbdt class serve``: ``axis.sqlite`` in the class folder, one secret token
per seat). Handing out a seat writes a ticket (``seats/<trainee>.json``) the
trainee's Session opens with; a seat held by one trainee is not handed to
another. A unit's seat is its clerk's (văn thư); a unit whose clerk seat is
held may also have a leader seat (``role="leader"``), held by another
trainee: the clerk hands the leader drafts to sign and documents to assign
(:mod:`simulator.routing.handoffs`, ``handoffs.sqlite``), the leader holds the
unit's personal signing key and the clerk its agency seal.

The class file is read by the Lab (to open a seat), by the server (tokens) and
by the grader (whose seat is whose), so it lives in the seat package.

Layout of a class folder::

    class.json     the world and the seats (with their tokens: keep the folder private)
    axis.sqlite    the class's exchange axis (the server's state)
    handoffs.sqlite  what each agency's clerk hands its leader, and the answers
    pki/           the class's training PKI (one root: every seat verifies every other)
    seats/ID.json  a trainee's ticket: the server's address, the seat, its token
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.seat.settings import ALLOWED_SCENARIOS, SEAT_PASSPHRASE, seed_for

_ = translator("classroom")

CLASS_FILE = "class.json"
DEFAULT_PORT = 8750
ROLES = ("clerk", "leader")


@dataclass
class ClassRoom:
    """The class file: ``ClassRoom.open(folder, unit=...)`` once, then ``ClassRoom.read(folder)``."""

    folder: Path
    province: str
    structure: int
    scenario: str
    start: str
    seed: int
    unit: str                        # the class's district or department (identifier code)
    district: str | None             # the district the world is cut to (3 levels), None: the whole province
    units: list[str]                 # the units a seat may be handed at: the class's unit first
    port: int = DEFAULT_PORT
    instructor_token: str = ""
    seats: dict[str, dict] = field(default_factory=dict)  # unit code -> {"trainee", "role", "token"}
    leaders: dict[str, dict] = field(default_factory=dict)  # unit code -> {"trainee", "token"}: beside its clerk

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def start_time(self) -> datetime:
        return datetime.fromisoformat(self.start).replace(tzinfo=None)

    # -- the instructor ------------------------------------------------------------
    @classmethod
    def open(cls, folder: str | Path, *, unit: str, province: str = "Nghệ An", start: datetime,
             scenario: str, port: int = DEFAULT_PORT, seed: int | None = None) -> "ClassRoom":
        """Open a class world for ``unit`` (a district: it and its communes; a department: it and the
        province's communes); refuses a folder that already holds a class."""
        from simulator.province import UnitKind, load_province
        from simulator.province.history import structure_on

        folder = Path(folder)
        if (folder / CLASS_FILE).exists():
            raise UserError(_("{folder} already holds a class; hand out its seats with 'vbdt class seat'.",
                              folder=folder), field="folder")
        if scenario not in ALLOWED_SCENARIOS:
            raise UserError(_("Unknown world {name!r}; choose one of {names}.", name=scenario,
                              names=", ".join(ALLOWED_SCENARIOS)), field="scenario")
        structure = structure_on(start)
        prov = load_province(province, structure)
        head = prov.find(unit)
        if head.kind == UnitKind.DISTRICT_COMMITTEE:
            members, district = prov.children(head.code), head.code
        elif head.kind == UnitKind.DEPARTMENT:
            members, district = prov.communes, None
        else:
            raise UserError(_("A class is opened for a district or a department, not for {name}.", name=head.name),
                            field="unit")
        room = cls(folder, prov.name, structure, scenario, start.isoformat(),
                   seed if seed is not None else seed_for(f"class:{head.code}:{start.isoformat()}"), head.code,
                   district, [head.code] + [u.code for u in members], port, secrets.token_urlsafe(24))
        folder.mkdir(parents=True, exist_ok=True)
        room._create_pki(prov.name)
        room.save()
        return room

    def _create_pki(self, name: str) -> None:
        from simulator.calendar import VN_TZ
        from simulator.signing import TrainingPKI

        start = self.start_time.replace(tzinfo=VN_TZ)
        TrainingPKI.create(self.folder / "pki", name=name, valid_from=start - timedelta(days=365),
                           valid_to=start + timedelta(days=730))

    def seat(self, trainee: str, unit: str, role: str = "clerk") -> dict:
        """Hand ``trainee`` the seat at ``unit``; returns their ticket (also written to ``seats/``)."""
        from simulator.province import load_province

        trainee = (trainee or "").strip()
        if not trainee or not re.fullmatch(r"[\w.@-]{1,64}", trainee):
            raise UserError(_("Give the trainee's id (letters, digits, . _ @ -)."), field="trainee")
        if role not in ROLES:
            raise UserError(_("Unknown role {role!r}; choose one of {roles}.", role=role, roles=", ".join(ROLES)),
                            field="role")
        code = load_province(self.province, self.structure).find(unit).code
        if code not in self.units:
            raise UserError(_("{unit} is not a unit of this class.", unit=unit), field="unit")
        seats = self.leaders if role == "leader" else self.seats
        held = seats.get(code)
        if held and held["trainee"] != trainee:
            raise UserError(_("The seat at {unit} is held by {other}; one trainee per seat.", unit=code,
                              other=held["trainee"]), field="unit")
        other = next((c for c, r, s in self._all_seats() if s["trainee"] == trainee and (c, r) != (code, role)), None)
        if other:
            raise UserError(_("{trainee} already holds the seat at {unit}.", trainee=trainee, unit=other),
                            field="trainee")
        if role == "leader" and code not in self.seats:
            raise UserError(_("Hand out the clerk's seat at {unit} first: the leader signs and assigns what the "
                              "clerk brings.", unit=code), field="role")
        if not held and role != "leader":
            self._issue_certificates(code)
        seats[code] = held or {"trainee": trainee, "role": role, "token": secrets.token_urlsafe(24)}
        self.save()
        return self._write_ticket(code, role)

    def _all_seats(self):
        """(unit code, role, seat) of every seat handed out: the units' clerks, then the leaders beside them."""
        return [(c, "clerk", s) for c, s in self.seats.items()] + [(c, "leader", s) for c, s in self.leaders.items()]

    def _write_ticket(self, code: str, role: str = "clerk") -> dict:
        ticket = self.ticket(code, role)
        path = self.folder / "seats" / f"{ticket['trainee']}.json"
        path.parent.mkdir(exist_ok=True)
        _write_private(path, json.dumps(ticket, ensure_ascii=False, indent=2))
        return ticket

    def ticket_of(self, trainee: str) -> dict | None:
        """The ticket of the seat ``trainee`` holds, None if they hold none."""
        return next((self.ticket(c, r) for c, r, s in self._all_seats() if s["trainee"] == trainee), None)

    def seat_keys(self, org: str | None, holders: dict) -> set[str]:
        """The labels of the class PKI's holders (its ``pki.json``) whose key files the seat ``org`` holds (what
        its token acts as: :func:`simulator.routing.handoffs.seat_of`): its own unit's only, the clerk the agency
        seal (and the personal key while no trainee holds the unit's leader seat), the leader the personal key."""
        from simulator.routing.handoffs import seat_of

        unit, role = seat_of(org or "")
        kinds = {"person"} if role == "leader" else {"seal"} if unit in self.leaders else {"person", "seal"}
        return {label for label, holder in holders.items()
                if holder.get("unit_code") == unit and holder.get("kind") in kinds}

    def move(self, port: int) -> None:
        """The server listens on ``port`` now: the class file and every ticket say so (a trainee's desk
        re-opened with its ticket follows)."""
        if port != self.port:
            self.port = port
            self.save()
            for code, role, _held in self._all_seats():
                self._write_ticket(code, role)

    def _issue_certificates(self, code: str) -> None:
        """The seat's leader's and agency seal's certificates, in the class's PKI (every seat's copy of the PKI
        then knows every other seat's certificates: what one signs, the others verify)."""
        from simulator.documents import ContentGenerator
        from simulator.documents.content import leader_positions
        from simulator.province import load_province
        from simulator.signing import TrainingPKI

        unit = load_province(self.province, self.structure).unit(code)
        pki = TrainingPKI.open(self.folder / "pki")
        mine = {info.kind.value for info in pki.list() if info.unit_code == code}
        if "person" not in mine:
            name = ContentGenerator(seed_for(f"{self.seed}:{code}")).person_name()  # SeatConfig.leader_seed
            pki.issue_person(name, leader_positions(unit)[0], unit.name, code, SEAT_PASSPHRASE)
        if "seal" not in mine:
            pki.issue_seal(unit.name, code, SEAT_PASSPHRASE)

    def ticket(self, code: str, role: str = "clerk") -> dict:
        """What a trainee's Session opens the seat with."""
        held = (self.leaders if role == "leader" else self.seats)[code]
        return {"class_folder": str(self.folder.resolve()), "url": self.url, "token": held["token"],
                "trainee": held["trainee"], "unit": code, "role": held["role"], "province": self.province,
                "structure": self.structure, "scenario": self.scenario, "start": self.start, "seed": self.seed,
                "district": self.district, "class_unit": self.unit, "units": list(self.units),
                "passphrase": SEAT_PASSPHRASE}

    # -- the server and the grader ------------------------------------------------------
    def authority(self, token: str) -> str | None:
        """The organisation ``token`` acts as ("*" for the instructor), None if unknown (re-read each time:
        seats handed out while the server runs count at once)."""
        from simulator.routing.server import INSTRUCTOR

        room = ClassRoom.read(self.folder)
        if token and secrets.compare_digest(token, room.instructor_token):
            return INSTRUCTOR
        from simulator.routing.handoffs import leader_org

        for code, role, held in room._all_seats():
            if token and secrets.compare_digest(token, held["token"]):
                return leader_org(code) if role == "leader" else code
        return None

    def held(self) -> dict[str, str]:
        """The seats held by trainees: unit code -> role, and a leader's beside its clerk as
        :func:`~simulator.routing.handoffs.leader_org` -> "leader" (no names, no tokens)."""
        from simulator.routing.handoffs import leader_org

        room = ClassRoom.read(self.folder)
        return {**{code: held["role"] for code, held in room.seats.items()},
                **{leader_org(code): "leader" for code in room.leaders}}

    def holder(self, code: str) -> str | None:
        held = self.seats.get(code)
        return held["trainee"] if held else None

    # -- the file ------------------------------------------------------------------------
    def save(self) -> None:
        data = {k: v for k, v in asdict(self).items() if k != "folder"}
        _write_private(self.folder / CLASS_FILE, json.dumps(data, ensure_ascii=False, indent=2))

    @classmethod
    def read(cls, folder: str | Path) -> "ClassRoom":
        folder = Path(folder)
        try:
            data = json.loads((folder / CLASS_FILE).read_text(encoding="utf-8"))
            return cls(folder=folder, **data)
        except FileNotFoundError:
            raise UserError(_("No class in {folder}: open one with 'vbdt class open'.", folder=folder),
                            field="folder") from None
        except (ValueError, TypeError):
            raise UserError(_("The class file {file} is damaged.", file=folder / CLASS_FILE), field="folder") from None


def class_server(folder: str | Path, port: int | None = None):
    """The class's axis server (not yet serving): ``axis.sqlite`` in the class folder, the class's tokens;
    ``port``: the class file's unless given (0: any free port)."""
    from simulator.calendar import VN_TZ
    from simulator.province import load_province
    from simulator.routing import Axis
    from simulator.routing.server import make_server

    room = ClassRoom.read(folder)
    units = load_province(room.province, room.structure).units
    axis = Axis(room.folder / "axis.sqlite", units, at=room.start_time.replace(tzinfo=VN_TZ))
    from simulator.routing.handoffs import STORE, Handoffs

    return make_server(axis, room.port if port is None else port, authority=room.authority, seats=room.held,
                       pki=lambda org: pki_archive(room.folder / "pki", org),
                       handoffs=Handoffs(room.folder / STORE))


def pki_archive(folder: Path, org: str | None = None) -> bytes:
    """The class's training PKI as a zip (``GET /pki``): what a seat copies when it cannot read the class's
    folder (a trainee's account on a hub, another machine). Every certificate, the service keys (the seat's
    copy issues its world's senders' certificates and signs their CRLs and time stamps), and the key files
    the seat ``org`` holds (:meth:`ClassRoom.seat_keys`) only: a trainee never holds a classmate's key."""
    import io
    import zipfile

    from simulator.signing.pki import STATE_FILE

    holders = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))["holders"]
    mine = ClassRoom.read(folder.parent).seat_keys(org, holders)
    others = {f"{label}.p12" for label in holders if label not in mine}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.endswith((".tmp", ".part")):
                continue
            if path.parent.name == "holders" and path.name in others:
                continue
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def read_ticket(ticket) -> dict:
    """A seat's ticket: the dict itself, or the file ``vbdt class seat`` wrote."""
    if isinstance(ticket, dict):
        return ticket
    try:
        data = json.loads(Path(ticket).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UserError(_("Cannot read the seat ticket {file}.", file=ticket), field="classroom") from None
    needed = ("url", "token", "trainee", "unit", "seed", "start", "scenario", "structure", "province")
    if not isinstance(data, dict) or any(k not in data for k in needed):
        raise UserError(_("Cannot read the seat ticket {file}.", file=ticket), field="classroom")
    return data


def _write_private(path: Path, text: str) -> None:
    """Write atomically, readable by the owner only (the file holds tokens)."""
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
