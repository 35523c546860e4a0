"""Backing up the official mail and restoring it: the whole folder, or one mailbox's lost messages.

A backup is a gzip'd tar of the book (``accounts.json``, ``passwd``) and every
Maildir under ``mail/``, written beside its destination and renamed into
place once complete. Maildir is safe to copy while Dovecot runs: a message
file never changes once delivered (flags change its name, not its bytes).

- Restoring one mailbox (``address``) puts back the messages the backup has
  and the live mailbox lacks (matched by the Maildir unique name, whatever
  the flags), into the folder they were in; nothing is overwritten, so a
  restore can be repeated. Dovecot sees them at the next login.
- Restoring everything is for an empty folder (a new machine): the book,
  the passwords and the mailboxes come back as they were.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.mail.address import check_address
from simulator.mail.dovecot import mail_owner

_ = translator("mail")

BOOK_FILES = ("accounts.json", "passwd")


@dataclass(frozen=True)
class BackupReport:
    path: str
    accounts: int
    messages: int
    bytes: int


def _is_message(parts: tuple[str, ...]) -> bool:
    return len(parts) >= 2 and parts[-2] in ("cur", "new")


def backup(folder: str | os.PathLike, out: str | os.PathLike) -> BackupReport:
    folder, out = Path(folder), Path(out)
    if not (folder / "accounts.json").exists():
        raise UserError(_("--folder: there are no mailboxes in {folder} yet (vbdt mail user add).", folder=folder),
                        field="--folder")
    tmp = out.with_name(out.name + ".part")
    messages = 0
    with tarfile.open(tmp, "w:gz") as tar:
        for name in BOOK_FILES:
            tar.add(folder / name, arcname=name)
        mail = folder / "mail"
        for path in sorted(mail.rglob("*")) if mail.is_dir() else ():
            if path.is_file():
                rel = path.relative_to(folder)
                tar.add(path, arcname=str(rel), recursive=False)
                messages += _is_message(rel.parts)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, out)
    import json

    accounts = len(json.loads((folder / "accounts.json").read_text(encoding="utf-8"))["accounts"])
    return BackupReport(str(out), accounts, messages, out.stat().st_size)


def _open(archive: Path) -> tarfile.TarFile:
    try:
        tar = tarfile.open(archive, "r:gz")
        names = tar.getnames()
    except (tarfile.TarError, OSError, EOFError):
        raise UserError(_("FILE: {path} is not a backup of the mail (vbdt mail backup).", path=archive),
                        field="FILE") from None
    if "accounts.json" not in names or any(PurePosixPath(n).is_absolute() or ".." in PurePosixPath(n).parts
                                           or not (n in BOOK_FILES or n.startswith("mail/")) for n in names):
        tar.close()
        raise UserError(_("FILE: {path} is not a backup of the mail (vbdt mail backup).", path=archive),
                        field="FILE")
    return tar


def _unique(name: str) -> str:
    return name.split(":", 1)[0]


def restore(folder: str | os.PathLike, archive: str | os.PathLike, address: str | None = None) -> int:
    """Put messages back (see the module); return how many message files were restored."""
    folder, archive = Path(folder), Path(archive)
    with _open(archive) as tar:
        if address is None:
            if (folder / "accounts.json").exists():
                raise UserError(_("--folder: {folder} already has mailboxes; restore into an empty folder, or "
                                  "give one ADDRESS to put its lost messages back.", folder=folder), field="--folder")
            return _restore_all(folder, tar)
        return _restore_one(folder, tar, address)


def _owned(path: Path) -> None:
    uid, gid = mail_owner()
    if os.geteuid() == 0:
        os.chown(path, uid, gid)


def _restore_all(folder: Path, tar: tarfile.TarFile) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    restored = 0
    for member in tar.getmembers():
        if not member.isfile():
            continue
        target = folder / member.name
        made = []
        parent = target.parent
        while not parent.exists():
            made.append(parent)
            parent = parent.parent
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
        if member.name.startswith("mail/"):
            for path in [target, *made]:
                _owned(path)
            restored += _is_message(PurePosixPath(member.name).parts)
    if (folder / "mail").exists():
        _owned(folder / "mail")
    return restored


def _restore_one(folder: Path, tar: tarfile.TarFile, address: str) -> int:
    import json

    book = json.loads((folder / "accounts.json").read_text(encoding="utf-8")) if (folder / "accounts.json").exists() \
        else {"accounts": {}}
    address = check_address(address, field="ADDRESS")
    if address not in book["accounts"]:
        raise UserError(_("{field}: there is no mailbox {address}.", field="ADDRESS", address=address),
                        field="ADDRESS")
    local, domain = address.split("@")
    prefix = f"mail/{domain}/{local}/"
    home = folder / "mail" / domain / local
    present = {_unique(p.name) for p in home.rglob("*") if p.is_file()} if home.exists() else set()
    restored = 0
    for member in tar.getmembers():
        parts = PurePosixPath(member.name).parts
        if not (member.isfile() and member.name.startswith(prefix) and _is_message(parts)):
            continue
        if _unique(parts[-1]) in present:
            continue
        target = folder / member.name
        for parent in reversed(target.relative_to(folder / "mail").parents):
            path = folder / "mail" / parent
            if not path.exists():
                path.mkdir(mode=0o700)
                _owned(path)
        tmp = target.parent.parent / "tmp" / parts[-1]
        tmp.parent.mkdir(exist_ok=True)
        _owned(tmp.parent)
        with tar.extractfile(member) as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst)
        _owned(tmp)
        os.replace(tmp, target)  # Maildir's own rule: written in tmp/, then moved in
        restored += 1
    if restored:  # Dovecot's quota count no longer matches what the mailbox holds: it recounts without it
        (home / "maildirsize").unlink(missing_ok=True)
    return restored
