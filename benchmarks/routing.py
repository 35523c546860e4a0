"""Routing benchmark: edXML speed, register writes, and the axis across an outage.

Run: ``python -m benchmarks.routing [--edxml 5000] [--registers 3000] [--axis 10000]``.

- edXML: envelopes per second through ``build`` and then ``parse`` (each
  validates the whole tree), without attachments, and with a 200 kB PDF.
- Registers: incoming entries per second on a SQLite file (WAL), one
  transaction per entry (the number taken and the entry written together),
  from edXML bytes (parse included) and from parsed envelopes; and in
  rounds of 50 edXML documents per transaction (``register_incoming_many``).
- Axis: N envelopes from a district to its communes in a SQLite database;
  the whole axis goes down for N/10 send attempts and two communes' links
  for a third of the receiving rounds; senders and receivers retry on
  ``AxisUnavailable``. Checks that every commune's register holds each of
  its documents once, with numbers 1..n, and reports envelopes per second.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date, datetime

from simulator.calendar import VN_TZ
from simulator.province import load_province
from simulator.routing import Attachment, Axis, AxisUnavailable, Registers, edxml, receive_all
from simulator.routing.envelope import Envelope, Organization, TraceHeader

AT = datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)


def envelope(sender, recipients, n: int, attachments=()) -> Envelope:
    issued = date(2026, 3, 2)
    return Envelope(
        sender=Organization(sender.code, sender.name),
        recipients=tuple(Organization(r.code, r.name) for r in recipients),
        document_id=f"{sender.code},{issued:%Y/%m/%d},{n:02d}/UBND-VP", code_number=f"{n:02d}",
        code_notation="UBND-VP", place=sender.place, promulgation_date=issued, type=2, type_name="Công văn",
        subject=f"Về việc triển khai gửi, nhận văn bản điện tử, đợt {n}", signer_full_name="Nguyễn Văn An",
        signer_position="Phó Chủ tịch", signer_competence="KT. Chủ tịch",
        to_places=tuple(r.name for r in recipients), traces=(TraceHeader(sender.code, AT),),
        attachments=tuple(attachments))


def bench_edxml(n: int, district, communes) -> dict:
    envs = [envelope(district, communes, i + 1) for i in range(n)]
    best = None
    for _ in range(3):  # best of three: the machine is shared
        t0 = time.perf_counter()
        blobs = [edxml.build(e) for e in envs]
        t1 = time.perf_counter()
        back = [edxml.parse(b) for b in blobs]
        t2 = time.perf_counter()
        assert back == envs
        if best is None or t2 - t0 < best[2] - best[0]:
            best = (t0, t1, t2)
    t0, t1, t2 = best
    pdf = os.urandom(200_000)
    heavy = [envelope(district, communes, i + 1, [Attachment("van-ban.pdf", pdf)]) for i in range(max(n // 20, 50))]
    t3 = time.perf_counter()
    for e in heavy:
        assert edxml.parse(edxml.build(e)).attachments[0].content == pdf
    t4 = time.perf_counter()
    return {"build_per_s": n / (t1 - t0), "parse_per_s": n / (t2 - t1), "build_parse_per_s": n / (t2 - t0),
            "with_200kB_pdf_per_s": len(heavy) / (t4 - t3)}


def bench_registers(n: int, district, communes, folder: str) -> dict:
    commune = communes[0]
    blobs = [edxml.build(envelope(district, [commune], i + 1)) for i in range(n)]
    reg = Registers(os.path.join(folder, "registers.sqlite"), commune.code)
    t0 = time.perf_counter()
    for b in blobs:
        reg.register_incoming(b, AT, "van_thu")
    t1 = time.perf_counter()
    envs = [envelope(district, [communes[1]], i + 1) for i in range(n)]
    reg2 = Registers(os.path.join(folder, "registers.sqlite"), communes[1].code)
    t2 = time.perf_counter()
    for e in envs:
        reg2.register_incoming(e, AT, "van_thu")
    t3 = time.perf_counter()
    assert [e.number for e in reg.incoming()] == list(range(1, n + 1))
    batch = [edxml.build(envelope(district, [communes[2]], i + 1)) for i in range(n)]
    reg3 = Registers(os.path.join(folder, "registers.sqlite"), communes[2].code)
    t4 = time.perf_counter()
    for k in range(0, n, 50):  # a clerk's round: 50 documents per transaction
        reg3.register_incoming_many(batch[k:k + 50], AT, "van_thu")
    t5 = time.perf_counter()
    assert [e.number for e in reg3.incoming()] == list(range(1, n + 1))
    return {"from_edxml_per_s": n / (t1 - t0), "from_envelope_per_s": n / (t3 - t2),
            "batch_per_s": n / (t5 - t4)}


def bench_axis(n: int, province, district, communes, folder: str) -> dict:
    axis = Axis(os.path.join(folder, "axis.sqlite"), province)
    regs = {c.code: Registers(os.path.join(folder, "axis-registers.sqlite"), c.code) for c in communes}
    blobs = [edxml.build(envelope(district, [communes[i % len(communes)]], i + 1)) for i in range(n)]
    retries = 0
    outage_from, outage_attempts = n // 2, max(n // 10, 1)  # the axis is down for that many send attempts
    t0 = time.perf_counter()
    for i, blob in enumerate(blobs):
        if i == outage_from:
            axis.set_outage()
        while True:
            try:
                axis.send(blob, AT)
                break
            except AxisUnavailable:
                retries += 1
                if retries >= outage_attempts:  # the axis comes back
                    axis.set_outage(down=False)
        if (i + 1) % 500 == 0:
            round_no = (i + 1) // 500
            down = {communes[0].code, communes[1].code} if round_no % 3 == 0 else set()
            for code in down:
                axis.set_outage(code)
            for commune in communes:
                try:
                    receive_all(axis, regs[commune.code], "van_thu", AT)
                except AxisUnavailable:
                    retries += 1
            for code in down:
                axis.set_outage(code, down=False)
    for commune in communes:
        receive_all(axis, regs[commune.code], "van_thu", AT)
    elapsed = time.perf_counter() - t0
    total = 0
    for k, commune in enumerate(communes):
        entries = regs[commune.code].incoming()
        expected = {f"{district.code},2026/03/02,{i + 1:02d}/UBND-VP" for i in range(n) if i % len(communes) == k}
        assert {e.document_id for e in entries} == expected and len(entries) == len(expected)
        assert [e.number for e in entries] == list(range(1, len(entries) + 1))
        total += len(entries)
    assert total == n
    return {"envelopes": n, "delivered": total, "lost": n - total, "retries": retries, "seconds": elapsed,
            "per_s": n / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edxml", type=int, default=5000)
    parser.add_argument("--registers", type=int, default=3000)
    parser.add_argument("--axis", type=int, default=10000)
    args = parser.parse_args()
    province = load_province("Nghệ An", structure=2024)
    district = province.districts[0]
    communes = province.children(district.code)[:3]
    with tempfile.TemporaryDirectory(prefix="vbdt-routing-bench-") as folder:
        e = bench_edxml(args.edxml, district, communes)
        print(f"edXML build            {e['build_per_s']:8.0f} envelopes/s")
        print(f"edXML parse            {e['parse_per_s']:8.0f} envelopes/s")
        print(f"edXML build + parse    {e['build_parse_per_s']:8.0f} envelopes/s (target >= 2000)")
        print(f"  with a 200 kB PDF    {e['with_200kB_pdf_per_s']:8.0f} envelopes/s")
        r = bench_registers(args.registers, district, communes, folder)
        print(f"register from edXML    {r['from_edxml_per_s']:8.0f} entries/s (target >= 1000)")
        print(f"register from envelope {r['from_envelope_per_s']:8.0f} entries/s")
        print(f"register, 50 per round {r['batch_per_s']:8.0f} entries/s (edXML, one transaction per round)")
        a = bench_axis(args.axis, province, district, communes, folder)
        print(f"axis: {a['envelopes']} sent, {a['delivered']} registered, {a['lost']} lost, "
              f"{a['retries']} retries across outages, {a['seconds']:.1f} s ({a['per_s']:.0f} envelopes/s end to end)")


if __name__ == "__main__":
    main()
