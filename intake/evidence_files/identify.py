"""What an upload is, judged by its content, and when its name makes it a disguise.

The leading bytes decide; for a zip, its parts (office_documents.py); for what no leading
bytes name, whether it reads as plain text (text.py). The client's extension only decides
whether a refused file was disguised, and whether text was passed off as a binary type.
"""

from __future__ import annotations

import re

from intake.evidence_files.file_types import (
    ALLOWED_CLAIMS,
    GIF,
    HEIC,
    JPEG,
    M4A,
    MOV,
    MP3,
    MP4,
    OGG,
    PDF,
    PNG,
    TEXT,
    TEXT_CLAIMS,
    THREE_GP,
    UNKNOWN,
    WAV,
    WEBP,
    FileType,
    Foreign,
)
from intake.evidence_files.media import is_mpeg_audio_frame
from intake.evidence_files.office_documents import package_kind
from intake.evidence_files.refusals import disguised, type_not_allowed
from intake.evidence_files.text import sniff_text


def identify(data: bytes, filename: str) -> FileType:
    """The type to store the upload as, or RejectedFile (disguised, type_not_allowed, or from the zip guards)."""
    found = _sniff(data)
    claimed = _claimed_extension(filename)
    if isinstance(found, FileType):
        if found is TEXT and claimed in ALLOWED_CLAIMS - TEXT_CLAIMS:
            raise disguised(Foreign("teks biasa", "plain text"), claimed)
        return found
    if found.executable or claimed in ALLOWED_CLAIMS:
        raise disguised(found, claimed)
    raise type_not_allowed(found)


def _claimed_extension(filename: str) -> str:
    base = re.split(r"[\\/]", filename)[-1]
    return base.rsplit(".", 1)[1].strip().lower() if "." in base else ""


# --- Leading bytes ----------------------------------------------------------------------
# Hand-written, not taken from a file-type library. puremagic was checked against every
# entry below (1.30, the last release for Python 3.11; 2.x needs 3.12). It agrees on the
# plain prefixes, which these tables state as briefly, next to the names a reporter reads.
# Where it matters it differs: a usual Windows program header comes first as a "ZoneAlarm
# data file"; ELF and Mach-O get no extension or MIME type; "\x1f\x8b" alone is not GZIP
# and "{\rtf" is JSON; any zip is a DOCX and a HEIC photo an MP4; 15 of the 30 ftyp brands
# are unknown to it and 3gp5 is an MP4; and a note starting "MZ", "BM" or "ID3" is a
# program, a bitmap or an MP3 (hence _TEXTLIKE_MAGIC and the ID3 version check).

_EXECUTABLE_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"MZ", "program Windows (EXE/DLL)", "a Windows program (EXE/DLL)"),
    (b"\x7fELF", "program Linux (ELF)", "a Linux program (ELF)"),
    (b"\xfe\xed\xfa\xce", "program macOS (Mach-O)", "a macOS program (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "program macOS (Mach-O)", "a macOS program (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "program macOS (Mach-O)", "a macOS program (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "program macOS (Mach-O)", "a macOS program (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "program macOS/Java", "a macOS/Java program"),
    (b"dex\n", "program Android (DEX)", "an Android program (DEX)"),
    (b"L\x00\x00\x00\x01\x14\x02\x00", "pintasan Windows (LNK)", "a Windows shortcut (LNK)"),
)

# Recognised only to name them in the refusal message.
_FOREIGN_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"#!AMR", "audio AMR", "AMR audio"),  # before the shebang check: AMR starts with "#!"
    (b"Rar!\x1a\x07", "arsip RAR", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "arsip 7z", "a 7z archive"),
    (b"\x1f\x8b", "arsip GZIP", "a GZIP archive"),
    (b"BZh", "arsip BZIP2", "a BZIP2 archive"),
    (b"\xfd7zXZ\x00", "arsip XZ", "an XZ archive"),
    (b"PK\x05\x06", "arsip ZIP kosong", "an empty ZIP archive"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "dokumen Office lama (DOC/XLS/PPT)",
        "a legacy Office document (DOC/XLS/PPT)",
    ),
    (b"II*\x00", "gambar TIFF", "a TIFF image"),
    (b"MM\x00*", "gambar TIFF", "a TIFF image"),
    (b"BM", "gambar BMP", "a BMP image"),
    (b"8BPS", "berkas Photoshop (PSD)", "a Photoshop file (PSD)"),
    (b"\x1a\x45\xdf\xa3", "video MKV/WEBM", "an MKV/WEBM video"),
    (b"fLaC", "audio FLAC", "FLAC audio"),
    (b"{\\rtf", "dokumen RTF", "an RTF document"),
)

# ISO base media says what it holds in its ftyp brand, the four bytes after "ftyp".
_ISO_MEDIA_BRANDS: dict[bytes, FileType] = {
    **dict.fromkeys((b"M4A ", b"M4B ", b"M4P "), M4A),
    **dict.fromkeys(
        (b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"mp71", b"avc1")
        + (b"M4V ", b"M4VH", b"M4VP", b"dash", b"MSNV", b"mmp4"),
        MP4,
    ),
    **dict.fromkeys((b"heic", b"heix", b"mif1", b"msf1", b"hevc"), HEIC),
    b"qt  ": MOV,
    **dict.fromkeys((b"3gp4", b"3gp5", b"3gp6", b"3g2a"), THREE_GP),
}
_ISO_MEDIA_FOREIGN: dict[bytes, Foreign] = {
    b"avif": Foreign("gambar AVIF", "an AVIF image"),
}

# Magic numbers that are also ordinary words: they count only in a binary header (one with
# a NUL byte early on), so a text note starting "BMKG ..." or "MZ ..." is still text.
_TEXTLIKE_MAGIC = frozenset({b"MZ", b"BM", b"BZh", b"8BPS"})


def _sniff(data: bytes) -> FileType | Foreign:
    """Name the content from its leading bytes alone."""
    for magic, label_id, label_en in _EXECUTABLE_MAGIC:
        if _starts_with_magic(data, magic):
            return Foreign(label_id, label_en, executable=True)
    for magic, label_id, label_en in _FOREIGN_MAGIC:
        if _starts_with_magic(data, magic):
            return Foreign(label_id, label_en)
    if data.startswith(b"#!"):
        return Foreign("skrip yang dapat dijalankan", "an executable script", executable=True)
    return _sniff_media(data) or _sniff_container(data) or sniff_text(data)


def _starts_with_magic(data: bytes, magic: bytes) -> bool:
    if not data.startswith(magic):
        return False
    return magic not in _TEXTLIKE_MAGIC or b"\x00" in data[:64]


def _sniff_media(data: bytes) -> FileType | Foreign | None:
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"OggS"):
        return OGG
    # An ID3 tag only with a real version byte: "ID3 adalah ..." is a note, not an MP3.
    if (data.startswith(b"ID3") and data[3:4] in (b"\x02", b"\x03", b"\x04")) or is_mpeg_audio_frame(
        data[:4]
    ):
        return MP3
    if data.startswith(b"RIFF") and len(data) >= 12:
        riff_kinds: dict[bytes, FileType | Foreign] = {
            b"WEBP": WEBP,
            b"WAVE": WAV,
            b"AVI ": Foreign("video AVI", "an AVI video"),
        }
        return riff_kinds.get(data[8:12], UNKNOWN)
    if data[4:8] == b"ftyp" and len(data) >= 12:
        brand = data[8:12]
        return _ISO_MEDIA_BRANDS.get(brand) or _ISO_MEDIA_FOREIGN.get(brand) or UNKNOWN
    return None


def _sniff_container(data: bytes) -> FileType | Foreign | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    return package_kind(data)
