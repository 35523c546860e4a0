"""A clerk's day on the axis, run as a process that the kill test kills at random points.

Usage: python kill_worker.py AXIS_DB REGISTERS_DB SENDER COMMUNE... --docs N
Sends N envelopes from SENDER to the communes and lets each commune receive
them, interleaved; every step is idempotent, so running it again after a
kill finishes the job. Prints READY after imports, a line per step, DONE at the end.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime

from simulator.calendar import VN_TZ
from simulator.routing import Axis, Registers, edxml, receive_all
from simulator.routing.envelope import Envelope, Organization, TraceHeader


def envelope(sender: str, communes: list[str], n: int) -> bytes:
    issued = date(2026, 3, 2)
    return edxml.build(Envelope(
        sender=Organization(sender, "Ủy ban nhân dân thành phố Vinh"),
        recipients=tuple(Organization(c) for c in communes),
        document_id=f"{sender},{issued:%Y/%m/%d},{n:02d}/UBND-VP", code_number=f"{n:02d}",
        code_notation="UBND-VP", place="Vinh", promulgation_date=issued, type=2, type_name="Công văn",
        subject=f"Về việc thử nghiệm trục liên thông, lần {n}", signer_full_name="Nguyễn Văn An",
        traces=(TraceHeader(sender, datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)),)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("axis_db")
    parser.add_argument("registers_db")
    parser.add_argument("sender")
    parser.add_argument("communes", nargs="+")
    parser.add_argument("--docs", type=int, default=40)
    args = parser.parse_args()
    axis = Axis(args.axis_db, [(args.sender, "UBND TP Vinh")] + [(c, f"UBND {c}") for c in args.communes])
    registers = {c: Registers(args.registers_db, c) for c in args.communes}
    at = datetime(2026, 3, 2, 10, 0, tzinfo=VN_TZ)
    print("READY", flush=True)
    for n in range(1, args.docs + 1):
        axis.send(envelope(args.sender, args.communes, n), at)
        print("sent", n, flush=True)  # progress lines let the test kill at a point within the work
        if n % 4 == 0:
            for commune in args.communes:
                receive_all(axis, registers[commune], "van_thu", at)
                print("received", commune, flush=True)
    for commune in args.communes:
        receive_all(axis, registers[commune], "van_thu", at)
    print("DONE", flush=True)


if __name__ == "__main__":
    sys.exit(main())
