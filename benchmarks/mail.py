"""Mail benchmark: server start, 1,000 messages through submission into the mailboxes, provisioning.

Run: ``python -m benchmarks.mail [--messages 1000] [--starts 5] [--accounts 300]``.

- Start: ``MailServer.start`` (Dovecot with its generated configuration, and the
  aiosmtpd submission process) until IMAP and SMTP both answer; median and
  worst of ``--starts`` runs, and the stop. Target ≤ 2 s.
- Delivery: ``--messages`` messages submitted over one authenticated SMTP
  session (each fsynced in the queue before its 250), from one clerk to ten
  colleagues in turn, until the delivery log shows every one delivered and
  IMAP counts them. Target ≤ 30 s for 1,000. For comparison, the same number
  handed straight to Dovecot's LMTP in one session (no queue, no fsync of ours).
- Provisioning: ``--accounts`` personal mailboxes added one by one (hash,
  atomic rewrite of the book and the passwd-file) in one batch, the running Dovecot seeing them at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import smtplib
import statistics
import tempfile
import time
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from imapclient import IMAPClient

from simulator.mail import MailBook, MailServer, unit_slugs
from simulator.mail.log import deliveries
from simulator.province import load_province


def _message(sender: str, to: str, i: int) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, f"Công văn số {i}/UBND-VP về việc báo cáo tuần"
    msg.set_content("Kính gửi các đồng chí,\n\nỦy ban nhân dân xã đề nghị các bộ phận báo cáo kết quả thực hiện "
                    "nhiệm vụ trong tuần trước 16 giờ thứ Sáu.\n\nTrân trọng.\n" * 4)
    return msg.as_bytes(policy=SMTP)


def _setup(folder: Path):
    province = load_province("Nghệ An", 2024)
    unit = province.find("Xã Diễn Kim")
    slug = unit_slugs(province.units)[unit.code]
    book = MailBook(folder)
    people = {}
    for name in ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Gấm",
                 "Đặng Văn Hải", "Bùi Thị Huệ", "Đỗ Văn Khánh", "Hồ Thị Lan", "Ngô Văn Minh"]:
        account, password = book.add_person(unit, slug, name)
        people[account.address] = password
    return province, unit, slug, book, people


def bench_start(starts: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="vbdt-mail-bench-"))
    try:
        _setup(folder)
        server = MailServer(folder)
        times, stops = [], []
        for _i in range(starts):
            t = time.perf_counter()
            server.start()
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            server.stop()
            stops.append(time.perf_counter() - t)
        return {"median": statistics.median(times), "max": max(times), "stop": statistics.median(stops)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _count(server, address, password) -> int:
    with IMAPClient("127.0.0.1", port=server.ports().imap, ssl=False) as client:
        client.login(address, password)
        return client.select_folder("INBOX", readonly=True)[b"EXISTS"]


def bench_delivery(n: int, n_accounts: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="vbdt-mail-bench-"))
    server = MailServer(folder)
    try:
        province, unit, slug, book, people = _setup(folder)
        server.start()
        sender, *others = list(people)
        messages = [(others[i % len(others)], _message(sender, others[i % len(others)], i)) for i in range(n)]
        t0 = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", server.ports().smtp) as smtp:
            smtp.login(sender, people[sender])
            for to, data in messages:
                smtp.sendmail(sender, [to], data)
        accepted = time.perf_counter() - t0
        while len(deliveries(folder, status="delivered")) < n:
            time.sleep(0.1)
        delivered = time.perf_counter() - t0
        in_boxes = sum(_count(server, a, people[a]) for a in others)
        # Dovecot alone: the same messages straight into LMTP, one session, one recipient per transaction
        t1 = time.perf_counter()
        with smtplib.LMTP("127.0.0.1", server.ports().lmtp) as lmtp:
            for to, data in messages:
                lmtp.sendmail(sender, [to], data)
        lmtp_only = time.perf_counter() - t1
        t2 = time.perf_counter()
        with book.batch():  # one wait for Dovecot to see the new passwd-file, at the end
            for i in range(n_accounts):
                book.add_person(unit, slug, f"Nguyễn Thị Thử {i:04d}x")
        provisioning = time.perf_counter() - t2
        return {"accepted": accepted, "delivered": delivered, "in_boxes": in_boxes, "lmtp_only": lmtp_only,
                "provisioning": provisioning, "size": len(messages[0][1])}
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--accounts", type=int, default=300)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    s = bench_start(args.starts)
    print(f"server start (Dovecot + submission, until IMAP and SMTP answer): median {s['median']:.2f} s, "
          f"worst {s['max']:.2f} s (target ≤ 2 s); stop {s['stop']:.2f} s")
    d = bench_delivery(args.messages, args.accounts)
    print(f"{args.messages} messages of {d['size']} bytes: accepted (fsynced) in {d['accepted']:.1f} s, all delivered "
          f"in {d['delivered']:.1f} s (target ≤ 30 s), {d['in_boxes']} counted over IMAP; "
          f"{args.messages / d['delivered']:.0f} messages/s")
    print(f"the same straight into Dovecot's LMTP: {d['lmtp_only']:.1f} s "
          f"(submission end to end / LMTP alone: {d['delivered'] / d['lmtp_only']:.2f})")
    print(f"provisioning {args.accounts} mailboxes one by one: {d['provisioning']:.1f} s "
          f"({1000 * d['provisioning'] / max(1, args.accounts):.0f} ms each)")


if __name__ == "__main__":
    main()
