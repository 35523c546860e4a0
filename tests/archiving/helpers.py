"""Plain helpers shared by the archiving tests."""

from __future__ import annotations

import shutil
from pathlib import Path


def record_fields(code: str = "000.01.40.H41.2026.01", **over) -> dict:
    fields = {"file_code": code, "title": "Hồ sơ công văn trao đổi về công tác chung năm 2026",
              "maintenance": "cong_van_trao_doi", "creator": "Ủy ban nhân dân xã Diễn Kim",
              "start_date": "2026-01-05", "end_date": "2026-12-30"}
    fields.update(over)
    return fields


def doc_meta(subject: str, **over) -> dict:
    meta = {"type_name": "Công văn", "code_number": "12", "code_notation": "UBND-VP", "issued_date": "2026-03-02",
            "organ_name": "Ủy ban nhân dân xã Diễn Kim", "subject": subject,
            "signer_position": "Chủ tịch", "signer_full_name": "Nguyễn Văn Hùng"}
    meta.update(over)
    return meta


def copy(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst
