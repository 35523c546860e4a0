"""``vbdt class``: the instructor opens a class world, hands out its seats and serves its axis
(:mod:`simulator.seat.classroom`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from simulator import inputs
from simulator.cli.common import Choice, Folder, OutputFolder, echo_json, free_port, port_type
from simulator.calendar import vn_datetime
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("classroom")


@click.group("class")
def classroom() -> None:
    """Lớp học: một thế giới chung cho cả lớp (a class: one world for the whole class)."""


@classroom.command("open")
@click.argument("folder", type=OutputFolder())
@click.option("--unit", required=True, help="The class's district (and its communes) or department.")
@click.option("--start", default=None, help="The world's first moment (ISO, e.g. 2025-03-03T07:30).")
@click.option("--scenario", type=Choice(["reform-2025", "plan-2020"]), default=None,
              help="The world (default: plan-2020 before 1/7/2025, reform-2025 from then).")
@click.option("--province", "province_name", default="Nghệ An", show_default=True)
@click.option("--port", type=port_type(), default=None, help="The port the class's axis will listen on.")
@click.option("--json", "as_json", is_flag=True)
def open_class(folder: str, unit: str, start: str | None, scenario: str | None, province_name: str,
               port: int | None, as_json: bool) -> None:
    """Open a class world in FOLDER."""
    from simulator.seat import DEFAULT_START
    from simulator.seat.classroom import DEFAULT_PORT, ClassRoom

    moment = _moment(start) if start else DEFAULT_START
    if port:
        free_port(port)   # the port the class's axis will listen on: taken now, refused now
    scenario = scenario or ("plan-2020" if moment < datetime(2025, 7, 1) else "reform-2025")
    room = ClassRoom.open(folder, unit=unit, province=province_name, start=moment, scenario=scenario,
                          port=DEFAULT_PORT if port is None else port)
    if as_json:
        echo_json({"folder": str(room.folder), "unit": room.unit, "units": room.units, "seed": room.seed,
                   "start": room.start, "scenario": room.scenario, "url": room.url})
        return
    click.echo(_("Class opened in {folder}: {unit} and {n} units, world {scenario} from {start}, axis at {url}.",
                 folder=room.folder, unit=room.unit, n=len(room.units) - 1, scenario=room.scenario,
                 start=vn_datetime(room.start), url=room.url))


@classroom.command("seat")
@click.argument("folder", type=Folder())
@click.option("--trainee", required=True, help="The trainee's id (their hub account).")
@click.option("--unit", required=True, help="The unit of the seat (code or name).")
@click.option("--role", type=Choice(["clerk", "leader"]), default="clerk", show_default=True)
@click.option("--json", "as_json", is_flag=True)
def seat(folder: str, trainee: str, unit: str, role: str, as_json: bool) -> None:
    """Hand a seat of the class in FOLDER to a trainee (one trainee per seat)."""
    from simulator.seat.classroom import ClassRoom

    ticket = ClassRoom.read(folder).seat(trainee, unit, role)
    if as_json:
        echo_json({k: v for k, v in ticket.items() if k != "token"})
        return
    ticket_file = Path(ticket["class_folder"]) / "seats" / f"{trainee}.json"
    click.echo(_("Seat {unit} handed to {trainee}; their ticket: {file}", unit=ticket["unit"], trainee=trainee,
                 file=ticket_file))


@classroom.command("serve")
@click.argument("folder", type=Folder())
@click.option("--port", type=port_type(), default=None, help="Override the class file's port.")
def serve(folder: str, port: int | None) -> None:
    """Serve the class's exchange axis on 127.0.0.1 until interrupted (Ctrl+C)."""
    from simulator.seat.classroom import ClassRoom, class_server

    room = ClassRoom.read(folder)
    port = room.port if port is None else port
    free_port(port)
    try:
        server = class_server(folder, port)
    except OSError as exc:
        raise UserError(_("Cannot listen on port {port}: {reason}", port=port, reason=inputs.reason(exc)),
                        field="port") from None
    host, real_port = server.server_address[:2]
    room.move(real_port)  # --port 0 or another port: the tickets give the address the server listens on
    click.echo(_("The class's axis listens on http://{host}:{port} with {n} seat(s) (Ctrl+C stops it).",
                 host=host, port=real_port, n=len(room.seats)))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@classroom.command("status")
@click.argument("folder", type=Folder())
@click.option("--json", "as_json", is_flag=True)
def status(folder: str, as_json: bool) -> None:
    """Where each trainee of the class in FOLDER stands, from the class's axis (read-only; no server needed)."""
    from simulator.seat.class_progress import class_progress

    rows = class_progress(folder)
    if as_json:
        echo_json([row.as_dict() for row in rows])
        return
    for line in progress_lines(rows):
        click.echo(line)


def progress_lines(rows) -> list[str]:
    """``vbdt class status`` as text: one line per seat, one more per document it is stuck on (a unit's leader:
    what its clerk handed it, signed, assigned, and what waits for it since when)."""
    from simulator.lab.class_words import action_words, role_words, stuck_lines

    _l = translator("lab")
    if not rows:
        return [_l("No seat of this class has been handed out yet.")]
    led = {r.unit for r in rows if r.role == "leader"}
    lines = []
    for r in rows:
        last = f"{vn_datetime(r.last_at)} ({action_words(r.last_action)})" if r.last_at else "—"
        if r.role == "leader":
            since = _(" (since {at})", at=vn_datetime(r.waiting_since)) if r.waiting_since else ""
            lines.append(_("{trainee} · {unit} ({code}) · {role}: handed {handed}, signed {signed}, assigned "
                           "{assigned}, waiting {waiting}{since}; last action {last}", trainee=r.trainee,
                           unit=r.unit_name, code=r.unit, role=role_words(r.role), handed=len(r.handoffs),
                           signed=len(r.signed), assigned=len(r.assigned), waiting=len(r.waiting), since=since,
                           last=last))
        else:
            reported = ", ".join(f"{code}×{n}" for code, n in r.statuses.items()) or "—"
            line = _l("{trainee} · {unit} ({code}) · {role}: sent {sent}, received {delivered}, stuck on {stuck}; "
                      "statuses reported {reported}; last action {last}", trainee=r.trainee, unit=r.unit_name,
                      code=r.unit, role=role_words(r.role), sent=len(r.sent), delivered=len(r.delivered),
                      stuck=len(r.stuck), reported=reported, last=last)
            if r.unit in led:
                line += _("; with the leader {n}", n=len(r.waiting))
            lines.append(line)
        lines += [f"    {line}" for line in stuck_lines(r)]
    return lines


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(_("--start: expected a moment such as 2025-03-03T07:30, got {value!r}.", value=text),
                        field="--start") from None
    if "T" not in text and " " not in text.strip():   # a day alone: the office opens at 07:30
        moment = moment.replace(hour=7, minute=30)
    return moment.replace(tzinfo=None)
