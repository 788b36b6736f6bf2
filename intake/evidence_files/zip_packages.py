"""Zip packages (what OOXML and OpenDocument files are): opened, guarded and written safely.

Every zip is judged from its central directory before any member is inflated: too many
members, too much once unpacked, an abnormal compression ratio, a path that escapes, an
encrypted member. A member is then read no further than its declared size, so a directory
that lies cannot make us inflate more than it admits to.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from intake.evidence_files.refusals import MEGABYTE, corrupt, decoding, encrypted, zip_bomb

MAX_ZIP_TOTAL_BYTES = 100 * MEGABYTE
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_RATIO = 100
ZIP_RATIO_APPLIES_ABOVE = 1 * MEGABYTE
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest zip timestamp: says nothing about the upload


@contextmanager
def open_zip(data: bytes) -> Iterator[zipfile.ZipFile]:
    with decoding("arsip/dokumen", "archive/document"):
        archive = zipfile.ZipFile(io.BytesIO(data))
    with archive:
        yield archive


def guard_zip(archive: zipfile.ZipFile) -> None:
    """Refuse archives that would explode or escape when unpacked, judging by the directory only."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise zip_bomb(f"lebih dari {MAX_ZIP_MEMBERS} berkas", f"more than {MAX_ZIP_MEMBERS} files")
    if sum(member.file_size for member in members) > MAX_ZIP_TOTAL_BYTES:
        raise zip_bomb("terlalu besar setelah dibuka", "too large once unpacked")
    names = [member.filename for member in members]
    if len(set(names)) != len(names):
        # Two readers could pick different copies of the same part: refuse the ambiguity.
        raise corrupt("arsip/dokumen", "archive/document")
    for member in members:
        _guard_zip_member(member)


def _guard_zip_member(member: zipfile.ZipInfo) -> None:
    if _is_unsafe_zip_path(member.filename):
        raise zip_bomb("nama berkas berbahaya di dalam arsip", "dangerous file name inside the archive")
    if _inflates_too_much(member):
        raise zip_bomb("rasio kompresi tidak wajar", "abnormal compression ratio")
    if member.flag_bits & 0x1:
        raise encrypted()


def _inflates_too_much(member: zipfile.ZipInfo) -> bool:
    ratio_limit = MAX_ZIP_RATIO * max(member.compress_size, 1)
    return member.file_size > ZIP_RATIO_APPLIES_ABOVE and member.file_size > ratio_limit


def _is_unsafe_zip_path(name: str) -> bool:
    path = name.replace("\\", "/")
    parts = path.split("/")
    return (
        path.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", path) is not None or "\x00" in path
    )


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """Read at most the declared size, so a lying directory cannot make us inflate more."""
    with decoding("arsip/dokumen", "archive/document"), archive.open(member) as stream:
        content = stream.read(member.file_size + 1)
    if len(content) > member.file_size:
        raise zip_bomb("ukuran isi tidak sesuai", "content larger than declared")
    return content


def write_zip(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in members.items():
            # A fresh ZipInfo: fixed date, no extra fields (owner ids, NTFS times), no comments.
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o644 << 16
            archive.writestr(info, content)
    return output.getvalue()
