"""Issue 14's "Done when", in a real browser: JupyterLab in Vietnamese with the lab's own mail server (as
``make lab`` starts it); as a new administrator, the commune's mailboxes provisioned from the identifier list
(quan-tri lesson 05, Run All); as a clerk, the day's mail read in the Mail desk (lesson 06, Run All), a
message chosen and answered from the desk with an attached file, then the same mailbox read with a real IMAP
client (imaplib). Screenshots go to ``out/screenshots/mail/`` for people to look at."""

from __future__ import annotations

import email
import imaplib
import json
import os
import re
import shutil
import tempfile
from email import policy
from pathlib import Path

import pytest

from simulator.mail import MailServer
from tests.browser.lab import CHROMIUM, FLAGS, SHOTS, TOKEN, need_chromium, run_all, running_lab

ROOT = Path(__file__).resolve().parents[2]
OUT = SHOTS / "mail"
ADMIN, CLERK = "quan-tri-05.ipynb", "can-bo-xa-06.ipynb"
LONG = 240_000  # ms: Run All of a lesson that starts mail servers
IDLE = re.compile(r"\(ipykernel\) \| (Rảnh|Idle)$")

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def lab():
    """JupyterLab over a folder with the two lessons, the lab's mail server running in VBDT_MAIL."""
    need_chromium()
    root = Path(tempfile.mkdtemp(prefix="vbdt-mail-browser-"))
    root.chmod(0o711)  # Dovecot's nobody passes through to the mailboxes
    shutil.copy(ROOT / "notebooks" / "quan-tri" / "05-thu-dien-tu-cong-vu.ipynb", root / ADMIN)
    shutil.copy(ROOT / "notebooks" / "can-bo-xa" / "06-thu-dien-tu-cong-vu.ipynb", root / CLERK)
    mail = root / "lab-mail"
    saved = os.environ.get("VBDT_MAIL")
    os.environ["VBDT_MAIL"] = str(mail)
    MailServer(mail).start()
    try:
        with running_lab(root, root / "work", root / "lab.log") as base:
            yield base, root, mail
    finally:
        MailServer(mail).stop()
        for pointer in (root / "work").rglob("thu-cong-vu.json"):
            MailServer(json.loads(pointer.read_text(encoding="utf-8"))["folder"]).stop()
        if saved is None:
            os.environ.pop("VBDT_MAIL", None)
        else:
            os.environ["VBDT_MAIL"] = saved
        shutil.rmtree(root, ignore_errors=True)


def _run_all(page, base: str, name: str, done: str) -> None:
    run_all(page, f"{base}/lab/tree/{name}?reset&token={TOKEN}",
            idle=page.locator(".jp-StatusBar-TextItem").filter(has_text=IDLE))
    _output(page, done).wait_for(timeout=LONG)


def _output(page, text: str):
    return page.locator(".jp-Cell-outputArea").filter(has_text=text).last


def _shoot(page, locator, name: str, shots: list) -> None:
    locator.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # let the scroll settle before the picture
    page.screenshot(path=str(OUT / name))
    shots.append(name)


def test_administrator_provisions_and_clerk_reads_and_answers_the_days_mail(lab):
    from playwright.sync_api import sync_playwright

    base, root, lab_mail = lab
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    shots: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        try:
            # the administrator: the commune's mailboxes from the identifier list
            _run_all(page, base, ADMIN, "Hộp thư mới:")
            _shoot(page, _output(page, "chỉ tiêu IV.4 (cán bộ có hộp thư công vụ): 67%"), "01-ra-soat-truoc.png", shots)
            made = _output(page, "Hộp thư mới:")
            assert "Đã tạo 3 hộp thư" in made.inner_text() and "IV.4 (cán bộ có hộp thư công vụ): 100%" in \
                made.inner_text()
            _shoot(page, made, "02-tao-hop-thu-theo-danh-sach.png", shots)
            _output(page, "Đã phục hồi 2 thư.").wait_for(timeout=LONG)
            _output(page, "còn nguyên vẹn").wait_for(timeout=LONG)
            _shoot(page, _output(page, "đã bị sửa: dòng"), "03-nhat-ky-chuoi-bam.png", shots)

            # the clerk: the day's mail in the Mail desk
            _run_all(page, base, CLERK, "Tài khoản:")
            desk = page.locator(".jp-OutputArea-output").filter(
                has=page.locator("h3", has_text=re.compile("^Thư điện tử công vụ$")))
            desk.get_by_role("button", name="Nhận thư mới", exact=True).click()
            desk.get_by_text(re.compile(r"thư mới|Không có thư mới")).first.wait_for(timeout=LONG)
            listing = desk.locator("select").last
            labels = listing.locator("option").all_inner_texts()  # ipywidgets writes no-break spaces
            assert any("Sở Nội vụ" in label.replace("\xa0", " ") for label in labels), labels
            # by position: a label changes when the list is redrawn (the unread mark goes once a message is read)
            wanted = next(i for i, label in enumerate(labels) if "Đề nghị gửi danh sách" in label.replace("\xa0", " "))
            listing.select_option(index=wanted)
            desk.get_by_text("Kính gửi").first.wait_for(timeout=LONG)
            _shoot(page, desk, "04-ban-thu-doc-thu.png", shots)
            desk.get_by_placeholder("Nội dung thư").fill("Kính gửi Sở Nội vụ,\nUBND xã gửi bổ sung bảng kê.")
            with page.expect_file_chooser() as chooser:  # the desk's "Attach files" button opens the picker
                desk.get_by_role("button", name=re.compile("Đính kèm tệp")).click()
            chooser.value.set_files(files=[{
                "name": "bang-ke-hop-thu.csv", "mimeType": "text/csv",
                "buffer": "Họ và tên;Hộp thư\nVăn thư xã;vanthu.xahaichau@nghean.gov.vn\n".encode("utf-8")}])
            desk.get_by_role("button", name=re.compile(r"Đính kèm tệp.*1|\(1\)")).wait_for(timeout=30_000)
            _shoot(page, desk, "05-soan-tra-loi-kem-tep.png", shots)
            desk.get_by_role("button", name="Trả lời", exact=True).click()
            desk.get_by_text(re.compile("Đã gửi đến vanthu.sonoivu@nghean.gov.vn")).wait_for(timeout=LONG)
            desk.get_by_text("Câu lệnh phía sau nút bấm này").last.click()  # the call behind the click
            desk.get_by_text("bang-ke-hop-thu.csv").last.wait_for(timeout=30_000)
            _shoot(page, desk.get_by_text("bang-ke-hop-thu.csv").last, "06-da-gui-va-cau-lenh.png", shots)
        except Exception:
            page.screenshot(path=str(OUT / "failed.png"), full_page=True)
            raise
        finally:
            browser.close()
    assert all((OUT / name).stat().st_size > 10_000 for name in shots)

    # the same mailbox in a real IMAP client: the day's mail, and the answer with its attachment in Sent
    seat = json.loads((root / "work" / "can-bo-xa-06" / "mail.json").read_text(encoding="utf-8"))
    assert Path(seat["folder"]) == lab_mail.absolute()  # the lesson used the lab's own server
    with imaplib.IMAP4("127.0.0.1", MailServer(lab_mail).ports().imap) as imap:
        imap.login(seat["unit"], seat["passwords"][seat["unit"]])
        imap.select("INBOX", readonly=True)
        subjects = [_subject(imap, n) for n in imap.search(None, "ALL")[1][0].split()]
        assert any(s.startswith("Đề nghị gửi danh sách") for s in subjects), subjects
        assert any("Quyết định" in s for s in subjects), subjects
        imap.select("Sent", readonly=True)
        sent = [email.message_from_bytes(imap.fetch(n, "(BODY.PEEK[])")[1][0][1], policy=policy.default)
                for n in imap.search(None, "ALL")[1][0].split()]
    answer = [m for m in sent if "bảng kê" in m.get_body(("plain",)).get_content()]
    assert answer and [a.get_filename() for a in answer[0].iter_attachments()] == ["bang-ke-hop-thu.csv"]
    assert str(answer[0]["Subject"]).startswith("Re: Đề nghị gửi danh sách")


def _subject(imap, n: bytes) -> str:
    data = imap.fetch(n, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")[1][0][1]
    return str(email.message_from_bytes(data, policy=policy.default)["Subject"])
