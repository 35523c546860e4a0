"""Provisioning from the identifier registry: the address convention, refusals that change nothing, the
review against the staff list, and indicator IV.4 counted from the real accounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.cli.main import main
from simulator.errors import UserError
from simulator.mail import MailBook, StaffMember, mailbox_share, review, unit_slugs
from simulator.mail.address import person_address, unit_address
from simulator.mail.passwords import check_password
from simulator.province import load_province


@pytest.fixture(scope="module")
def province():
    return load_province("Nghệ An", 2024)


@pytest.fixture
def book(tmp_path):
    return MailBook(tmp_path / "mail")


def _snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} if folder.exists() else {}


def test_the_address_convention(province):
    slugs = unit_slugs(province.units)
    kim = province.find("Xã Diễn Kim")
    assert slugs[kim.code] == "xadienkim"
    assert unit_address(slugs[kim.code], "nghean.gov.vn") == "vanthu.xadienkim@nghean.gov.vn"
    assert person_address("Nguyễn Văn An", "xadienkim", "nghean.gov.vn") == "an.nv.xadienkim@nghean.gov.vn"
    assert person_address("Đặng Thị Ánh Tuyết", "xadienkim", "nghean.gov.vn", 2) == "tuyet2.dta.xadienkim@nghean.gov.vn"
    assert slugs[province.find("Huyện Diễn Châu").code] == "huyendienchau"
    assert len(set(slugs.values())) == len(province.units)  # unique, same-named communes told apart
    assert all(s.isascii() and len(s) <= 40 for s in slugs.values())


def test_mailboxes_hashed_with_quota_in_dovecots_passwd_file(book, province):
    kim = province.find("Xã Diễn Kim")
    unit_box, password = book.add_unit(kim, "xadienkim", quota_mb=500)
    person, _pw = book.add_person(kim, "xadienkim", "Nguyễn Văn An", password="Sen-hong-2026", quota_messages=50)
    lines = dict(line.split(":", 1) for line in book.passwd.read_text().splitlines())
    assert set(lines) == {unit_box.address, person.address}
    hashed = lines[person.address].split(":")[0]
    assert hashed.startswith("{SHA512-CRYPT}$6$") and "Sen-hong-2026" not in book.passwd.read_text()
    assert check_password("Sen-hong-2026", hashed) and not check_password("Sen-hong-2027", hashed)
    assert check_password(password, lines[unit_box.address].split(":")[0])
    assert "userdb_quota_rule=*:storage=500M" in lines[unit_box.address]
    assert "userdb_quota_rule2=*:messages=50" in lines[person.address]


@pytest.mark.parametrize("change, field", [
    (lambda b, u: b.add_person(u, "xadienkim", "Nguyễn Văn An"), "--name"),                    # duplicate
    (lambda b, u: b.add_unit(u, "xadienkim"), "--unit"),                                      # duplicate unit box
    (lambda b, u: b.add_person(u, "xadienkim", "Lê Văn Bé", password="1234567"), "--passphrase-file"),
    (lambda b, u: b.add_person(u, "xadienkim", "Lê Văn Bé", password="matkhau123"), "--passphrase-file"),
    (lambda b, u: b.add_person(u, "xadienkim", "Lê Văn Cường", password="Cuong-2026x"), "--passphrase-file"),
    (lambda b, u: b.add_person(u, "xadienkim", "An"), "--name"),                              # no family name
    (lambda b, u: b.add_group("lanh dao@nghean.gov.vn", "x", ["an.nv.xadienkim@nghean.gov.vn"]), "ADDRESS"),
    (lambda b, u: b.add_group("lanhdao@gmail.com", "x", ["an.nv.xadienkim@nghean.gov.vn"]), "ADDRESS"),
    (lambda b, u: b.add_group("lanhdao@nghean.gov.vn", "x", ["ai.do@nghean.gov.vn"]), "MEMBER"),
    (lambda b, u: b.add_group("an.nv.xadienkim@nghean.gov.vn", "x", ["vanthu.xadienkim@nghean.gov.vn"]), "ADDRESS"),
    (lambda b, u: b.disable("ai.do@nghean.gov.vn"), "ADDRESS"),
    (lambda b, u: b.reset("not an address"), "ADDRESS"),
])
def test_refusals_change_nothing(book, province, change, field):
    kim = province.find("Xã Diễn Kim")
    book.add_unit(kim, "xadienkim")
    book.add_person(kim, "xadienkim", "Nguyễn Văn An")
    before = _snapshot(book.folder)
    with pytest.raises(UserError) as refused:
        change(book, kim)
    assert refused.value.field == field
    assert _snapshot(book.folder) == before


def test_review_finds_the_missing_and_those_who_left(book, province):
    kim = province.find("Xã Diễn Kim")
    staff = [StaffMember("Nguyễn Văn An", kim.code), StaffMember("Trần Thị Bình", kim.code),
             StaffMember("Lê Văn Cường", kim.code)]
    book.add_person(kim, "xadienkim", "Nguyen Van An")             # typed without tone marks: still the same person
    book.add_person(kim, "xadienkim", "Trần Thị Bình")
    book.add_person(kim, "xadienkim", "Hồ Văn Đã Nghỉ")            # left the commune, mailbox still open
    found = review(book, province.units, staff, unit=kim.code)
    assert [s.full_name for s in found.missing_staff] == ["Lê Văn Cường"]
    assert [a.name for a in found.left] == ["Hồ Văn Đã Nghỉ"]
    assert found.missing_units == ((kim.code, kim.name),)
    assert mailbox_share(book, staff) == pytest.approx(2 / 3)
    book.add_unit(kim, "xadienkim")
    book.add_person(kim, "xadienkim", "Lê Văn Cường")
    book.disable("nghi.hvd.xadienkim@nghean.gov.vn", "nghỉ hưu")
    again = review(book, province.units, staff, unit=kim.code)
    assert again.clean and [a.name for a in again.disabled] == ["Hồ Văn Đã Nghỉ"]
    assert mailbox_share(book, staff) == 1.0


def test_a_disabled_mailbox_does_not_count_for_iv4(book, province):
    kim = province.find("Xã Diễn Kim")
    staff = [StaffMember("Nguyễn Văn An", kim.code), StaffMember("Trần Thị Bình", kim.code)]
    book.add_person(kim, "xadienkim", "Nguyễn Văn An")
    book.add_person(kim, "xadienkim", "Trần Thị Bình")
    book.disable("binh.tt.xadienkim@nghean.gov.vn")
    assert mailbox_share(book, staff) == 0.5
    assert mailbox_share(book, []) == 0.0


def _vbdt(*argv) -> int:
    return main(list(argv))


def test_the_commands_provision_and_review(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "axis.sqlite")
    on = ["--on", "2024-06-01"]
    assert _vbdt("admin", "--db", db, "org", "seed", "--by", "qt", "--on", "2024-06-01") == 0
    code = load_province("Nghệ An", 2024).find("Xã Diễn Kim").code
    for user, name in (("an", "Nguyễn Văn An"), ("binh", "Trần Thị Bình")):
        assert _vbdt("admin", "--db", db, "user", "add", user, "--name", name, "--unit", code, "--role",
                     "chuyen_vien", "--by", "qt") == 0
    (tmp_path / "pw.txt").write_text("Hoa-ban-2026\n", encoding="utf-8")
    assert _vbdt("mail", "user", "add", "--unit", "Xã Diễn Kim", *on) == 0
    assert _vbdt("mail", "user", "add", "--unit", code, "--name", "Nguyễn Văn An", "--passphrase-file",
                 str(tmp_path / "pw.txt"), *on) == 0
    out = capsys.readouterr().out
    assert "an.nv.xadienkim@nghean.gov.vn" in out and "Mật khẩu:" in out  # generated for the unit only
    assert out.count("Mật khẩu:") == 1
    assert _vbdt("mail", "review", "--unit", code, "--db", db, *on) == 1
    out = capsys.readouterr().out
    assert "Thiếu hộp thư cá nhân: Trần Thị Bình" in out and "IV.4" in out and "50%" in out
    assert _vbdt("mail", "review", "--unit", code, "--db", db, "--json", *on) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["iv4_mailbox_share"] == 0.5 and payload["missing_units"] == []
    assert _vbdt("mail", "user", "list", "--json") == 0
    assert {a["address"] for a in json.loads(capsys.readouterr().out)} == {
        "vanthu.xadienkim@nghean.gov.vn", "an.nv.xadienkim@nghean.gov.vn"}
    # the rest of the commune from the list in one command; the passwords go to a file only its owner reads
    assert _vbdt("mail", "review", "--unit", code, "--db", db, "--create", "--out", "mat-khau.csv", *on) == 0
    out = capsys.readouterr().out
    assert "Đã tạo 1 hộp thư" in out and "100%" in out
    rows = (tmp_path / "mat-khau.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "address,password" and rows[1].startswith("binh.tt.xadienkim@nghean.gov.vn,")
    assert (tmp_path / "mat-khau.csv").stat().st_mode & 0o077 == 0
    assert _vbdt("mail", "review", "--unit", code, "--db", db, "--create", *on) == 2  # no --out: refused


@pytest.mark.parametrize("argv, needle", [
    (["mail", "user", "add", "--unit", "Xã Diễn Kim", "--on", "2024-06-01"], "đã có"),
    (["mail", "user", "add", "--unit", "Xã Không Có", "--on", "2024-06-01"], "Không tìm thấy đơn vị"),
    (["mail", "user", "add", "--unit", "Xã Diễn Kim", "--name", "Lê Bé", "--passphrase-file", "weak.txt",
      "--on", "2024-06-01"], "quá yếu"),
    (["mail", "group", "add", "lanh@dao@nghean.gov.vn", "vanthu.xadienkim@nghean.gov.vn"], "không phải địa chỉ"),
    (["mail", "user", "disable", "ai.do@nghean.gov.vn"], "không có hộp thư"),
])
def test_bad_input_one_vietnamese_line_exit_2_nothing_changed(tmp_path, monkeypatch, capsys, argv, needle):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "weak.txt").write_text("abc\n", encoding="utf-8")
    assert _vbdt("mail", "user", "add", "--unit", "Xã Diễn Kim", "--on", "2024-06-01") == 0
    capsys.readouterr()
    before = _snapshot(tmp_path / "work" / "mail")
    assert _vbdt(*argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Lỗi:") and needle in err[0], err
    assert _snapshot(tmp_path / "work" / "mail") == before


def test_iv4_per_unit_for_the_world(book, province):
    from simulator.mail import unit_shares

    kim = province.find("Xã Diễn Kim")
    hai = next(u for u in province.communes if u.code != kim.code)
    staff = [StaffMember("Nguyễn Văn An", kim.code), StaffMember("Trần Thị Bình", kim.code),
             StaffMember("Lê Văn Cường", hai.code)]
    book.add_person(kim, "xadienkim", "Nguyễn Văn An")
    assert unit_shares(book, staff) == {kim.code: 0.5, hai.code: 0.0}


def test_backup_restore_and_queue_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert _vbdt("mail", "user", "add", "--unit", "Xã Diễn Kim", "--on", "2024-06-01") == 0
    assert _vbdt("mail", "backup", "--out", "sao-luu.tar.gz") == 0
    assert "Đã sao lưu 1 hộp thư" in capsys.readouterr().out
    assert _vbdt("mail", "--folder", "may-moi", "restore", "sao-luu.tar.gz") == 0
    assert (tmp_path / "may-moi" / "passwd").read_bytes() == (tmp_path / "work" / "mail" / "passwd").read_bytes()
    capsys.readouterr()
    assert _vbdt("mail", "restore", "sao-luu.tar.gz") == 2  # the folder has mailboxes: one ADDRESS, or an empty one
    assert "thư mục trống" in capsys.readouterr().err
    assert _vbdt("mail", "queue") == 0
    assert "Thư đang chờ trong hàng đợi: 0." in capsys.readouterr().out
