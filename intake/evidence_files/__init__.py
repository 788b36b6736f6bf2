"""Evidence uploads: accept files by their content and strip what identifies the reporter.

``inspect_and_clean`` is the single entry point. It never trusts the client's file
name or extension: the type comes from the leading bytes (and, for Office documents,
from the package structure). Images, PDFs and Office/OpenDocument files are rewritten
without their metadata; MP4/MOV/3GP/M4A keep their media and lose their metadata
boxes (media.py); MP3, OGG, WAV and plain text are accepted as they are.

A file whose content is an *allowed* type but whose name says another allowed type
(a PNG called ``.jpg``, a WEBP saved as ``.png`` by a browser) is accepted under its
real type: nothing is gained by refusing it, and the stored extension is corrected.
Refused as "disguised" are executables under any name, anything not allowed that is
named like an allowed type, and plain text named like a binary type (a script
renamed ``bukti.pdf``).

Pure Python: no Django, no database, so it can run in a web worker or a Celery task.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import pillow_heif
from PIL import Image, ImageOps, ImageSequence
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from intake.evidence_files.media import MalformedMedia, scrub_iso_media

pillow_heif.register_heif_opener()  # lets Pillow read HEIC photos (libheif, bundled in the wheel)

MEGABYTE = 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000  # decoded pixels over all frames; ~200 MB of RGBA at most
MAX_ZIP_TOTAL_BYTES = 100 * MEGABYTE
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_RATIO = 100
ZIP_RATIO_APPLIES_ABOVE = 1 * MEGABYTE
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest zip timestamp: says nothing about the upload
DISPLAY_NAME_MAX = 80
JPEG_QUALITY = 90


# --- Public interface -------------------------------------------------------------------


@dataclass(frozen=True)
class CleanedFile:
    content: bytes  # what we store (metadata removed unless keep_original says otherwise)
    content_type: str  # detected from content, e.g. "image/jpeg", "application/pdf"
    extension: str  # canonical, from the detected type, e.g. "jpg", "pdf", "docx"
    display_name: str  # a safe display name derived from the client's filename
    original: bytes | None  # the untouched upload, only when keep_original=True, else None
    metadata_removed: bool  # True when we rewrote the file to remove metadata


class RejectedFile(ValueError):
    """An upload we refuse; ``message`` is shown to the reporter (Indonesian, then English)."""

    def __init__(self, code: str, message: str) -> None:
        # Both in args so the exception survives pickling (Celery results, multiprocessing).
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


def inspect_and_clean(
    data: bytes, filename: str, *, max_bytes: int, keep_original: bool = False
) -> CleanedFile:
    """Check an upload by its content and return the version safe to store.

    Raises RejectedFile (codes: empty, too_large, type_not_allowed, disguised, corrupt,
    zip_bomb, encrypted) when the file cannot be accepted.
    """
    _check_size(data, max_bytes)
    file_type = _identify(data, filename)
    content = _CLEANERS[file_type.handler](data, file_type)
    return CleanedFile(
        content=content,
        content_type=file_type.content_type,
        extension=file_type.extension,
        display_name=safe_display_name(filename, file_type.extension),
        original=data if keep_original else None,
        metadata_removed=file_type.handler != "as_is",
    )


# --- Messages ---------------------------------------------------------------------------


def _rejected(code: str, indonesian: str, english: str) -> RejectedFile:
    return RejectedFile(code, f"{indonesian} / {english}")


def _format_megabytes(size: int) -> str:
    megabytes = size / MEGABYTE
    return f"{megabytes:.0f}" if megabytes == int(megabytes) else f"{megabytes:.1f}"


def _corrupt(what_id: str, what_en: str) -> RejectedFile:
    return _rejected(
        "corrupt",
        f"Berkas {what_id} rusak atau tidak lengkap. Simpan ulang atau unggah kembali berkasnya.",
        f"The {what_en} file is damaged or incomplete. Please save it again or re-upload it.",
    )


def _encrypted() -> RejectedFile:
    return _rejected(
        "encrypted",
        "Berkas ini dilindungi kata sandi sehingga tidak dapat diperiksa. Unggah versi tanpa kata sandi.",
        "This file is password-protected, so it cannot be checked. Please upload a version without a password.",
    )


def _zip_bomb(reason_id: str, reason_en: str) -> RejectedFile:
    return _rejected(
        "zip_bomb",
        f"Dokumen ini tidak dapat diterima karena isi arsipnya tidak wajar ({reason_id}).",
        f"This document cannot be accepted because its archive is abnormal ({reason_en}).",
    )


def _too_many_pixels() -> RejectedFile:
    limit = MAX_IMAGE_PIXELS // 1_000_000
    return _rejected(
        "too_large",
        f"Gambar terlalu besar (maksimal {limit} megapiksel). Perkecil ukurannya lalu unggah lagi.",
        f"Image too large (maximum {limit} megapixels). Please resize it and upload it again.",
    )


_ACCEPTED_ID = (
    "foto (JPG, HEIC, PNG, WEBP, GIF), PDF, dokumen (DOCX, XLSX, PPTX, ODT, ODS), "
    "audio/video (MP3, M4A, MP4, MOV, 3GP, OGG, WAV) atau teks (TXT)"
)
_ACCEPTED_EN = (
    "photos (JPG, HEIC, PNG, WEBP, GIF), PDF, documents (DOCX, XLSX, PPTX, ODT, ODS), "
    "audio/video (MP3, M4A, MP4, MOV, 3GP, OGG, WAV) or text (TXT)"
)


# --- Size -------------------------------------------------------------------------------


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise _rejected("empty", "Berkas kosong.", "The file is empty.")
    if len(data) > max_bytes:
        limit = _format_megabytes(max_bytes)
        raise _rejected(
            "too_large",
            f"Berkas terlalu besar (maksimal {limit} MB).",
            f"File too large (maximum {limit} MB).",
        )


# --- Type detection ---------------------------------------------------------------------

Handler = Literal["image", "heif", "pdf", "ooxml", "odf", "isomedia", "as_is"]


@dataclass(frozen=True)
class _FileType:
    content_type: str
    extension: str
    handler: Handler


@dataclass(frozen=True)
class _Foreign:
    """Content we recognise (or not) but do not accept; labels name it in messages."""

    label_id: str
    label_en: str
    executable: bool = False


JPEG = _FileType("image/jpeg", "jpg", "image")
# iPhone photos (HEIC) are stored as the JPEG every browser and office can open.
HEIC = _FileType("image/jpeg", "jpg", "heif")
PNG = _FileType("image/png", "png", "image")
WEBP = _FileType("image/webp", "webp", "image")
GIF = _FileType("image/gif", "gif", "image")
PDF = _FileType("application/pdf", "pdf", "pdf")
DOCX = _FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "ooxml")
XLSX = _FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "ooxml")
PPTX = _FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "ooxml")
ODT = _FileType("application/vnd.oasis.opendocument.text", "odt", "odf")
ODS = _FileType("application/vnd.oasis.opendocument.spreadsheet", "ods", "odf")
MP3 = _FileType("audio/mpeg", "mp3", "as_is")
M4A = _FileType("audio/mp4", "m4a", "isomedia")
MP4 = _FileType("video/mp4", "mp4", "isomedia")
MOV = _FileType("video/quicktime", "mov", "isomedia")
THREE_GP = _FileType("video/3gpp", "3gp", "isomedia")
OGG = _FileType("audio/ogg", "ogg", "as_is")
WAV = _FileType("audio/wav", "wav", "as_is")
TEXT = _FileType("text/plain", "txt", "as_is")

UNKNOWN = _Foreign("jenis yang tidak dikenali", "an unrecognised type")
PLAIN_ZIP = _Foreign("arsip ZIP", "a ZIP archive")

# Extensions a client may use for the types above: a name like this on other content is a disguise.
_ALLOWED_CLAIMS = frozenset(
    {
        "jpg",
        "jpeg",
        "jpe",
        "jfif",
        "heic",
        "heif",
        "png",
        "webp",
        "gif",
        "pdf",
        "docx",
        "xlsx",
        "pptx",
        "odt",
        "ods",
    }
    | {"mp3", "m4a", "mp4", "m4v", "mov", "qt", "3gp", "3g2", "ogg", "oga", "opus", "wav", "txt", "text"}
)
_TEXT_CLAIMS = frozenset({"txt", "text"})

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

_ISO_MEDIA_BRANDS: dict[bytes, _FileType] = {
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
_ISO_MEDIA_FOREIGN: dict[bytes, _Foreign] = {
    b"avif": _Foreign("gambar AVIF", "an AVIF image"),
}


def _identify(data: bytes, filename: str) -> _FileType:
    found = _sniff(data)
    claimed = _claimed_extension(filename)
    if isinstance(found, _FileType):
        if found is TEXT and claimed in _ALLOWED_CLAIMS - _TEXT_CLAIMS:
            raise _disguised(_Foreign("teks biasa", "plain text"), claimed)
        return found
    if found.executable or claimed in _ALLOWED_CLAIMS:
        raise _disguised(found, claimed)
    raise _rejected(
        "type_not_allowed",
        f"Jenis berkas ini tidak diterima ({found.label_id}). Yang diterima: {_ACCEPTED_ID}.",
        f"This file type is not accepted ({found.label_en}). Accepted: {_ACCEPTED_EN}.",
    )


def _disguised(found: _Foreign, claimed: str) -> RejectedFile:
    if claimed in _ALLOWED_CLAIMS:
        named = claimed.upper()
        intro_id = f"Isi berkas tidak sesuai dengan namanya: isinya {found.label_id}, bukan {named}."
        intro_en = f"The file's content does not match its name: it is {found.label_en}, not {named}."
    else:
        intro_id = f"Berkas ini adalah {found.label_id}."
        intro_en = f"This file is {found.label_en}."
    if found.executable:
        return _rejected(
            "disguised",
            f"{intro_id} Program tidak boleh diunggah.",
            f"{intro_en} Programs cannot be uploaded.",
        )
    return _rejected("disguised", intro_id, intro_en)


def _claimed_extension(filename: str) -> str:
    base = re.split(r"[\\/]", filename)[-1]
    return base.rsplit(".", 1)[1].strip().lower() if "." in base else ""


# Magic numbers that are also ordinary words: they count only in a binary header (one with
# a NUL byte early on), so a text note starting "BMKG ..." or "MZ ..." is still text.
_TEXTLIKE_MAGIC = frozenset({b"MZ", b"BM", b"BZh", b"8BPS"})


def _sniff(data: bytes) -> _FileType | _Foreign:
    """Name the content from its leading bytes alone."""
    for magic, label_id, label_en in _EXECUTABLE_MAGIC:
        if _starts_with_magic(data, magic):
            return _Foreign(label_id, label_en, executable=True)
    for magic, label_id, label_en in _FOREIGN_MAGIC:
        if _starts_with_magic(data, magic):
            return _Foreign(label_id, label_en)
    if data.startswith(b"#!"):
        return _Foreign("skrip yang dapat dijalankan", "an executable script", executable=True)
    return _sniff_media(data) or _sniff_container(data) or _sniff_text(data)


def _starts_with_magic(data: bytes, magic: bytes) -> bool:
    if not data.startswith(magic):
        return False
    return magic not in _TEXTLIKE_MAGIC or b"\x00" in data[:64]


def _sniff_media(data: bytes) -> _FileType | _Foreign | None:
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
    if (data.startswith(b"ID3") and data[3:4] in (b"\x02", b"\x03", b"\x04")) or _is_mpeg_audio_frame(
        data[:4]
    ):
        return MP3
    if data.startswith(b"RIFF") and len(data) >= 12:
        riff_kinds: dict[bytes, _FileType | _Foreign] = {
            b"WEBP": WEBP,
            b"WAVE": WAV,
            b"AVI ": _Foreign("video AVI", "an AVI video"),
        }
        return riff_kinds.get(data[8:12], UNKNOWN)
    if data[4:8] == b"ftyp" and len(data) >= 12:
        brand = data[8:12]
        return _ISO_MEDIA_BRANDS.get(brand) or _ISO_MEDIA_FOREIGN.get(brand) or UNKNOWN
    return None


def _is_mpeg_audio_frame(header: bytes) -> bool:
    """An MP3 (MPEG layer III) frame header: 11 sync bits, then fields that are not reserved.

    Layer III only: layer I's header is FF FE..., which is also the UTF-16 byte order mark,
    and layer "0" is AAC (ADTS), which we do not accept.
    """
    if len(header) < 3 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return False
    version = (header[1] >> 3) & 0b11
    layer = (header[1] >> 1) & 0b11
    bitrate = header[2] >> 4
    sample_rate = (header[2] >> 2) & 0b11
    return version != 0b01 and layer == 0b01 and bitrate not in (0b0000, 0b1111) and sample_rate != 0b11


def _sniff_container(data: bytes) -> _FileType | _Foreign | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    with _open_zip(data) as archive:
        _guard_zip(archive)
        return _zip_kind(archive)


_MARKUP_START = re.compile(r"<\s*[!?a-zA-Z]")


def _sniff_text(data: bytes) -> _FileType | _Foreign:
    if b"\x00" in data:
        return UNKNOWN
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return UNKNOWN
    # HTML/SVG/XML opened from a download can run scripts: not plain text for our purposes.
    if _MARKUP_START.match(text.lstrip("\ufeff \t\r\n")):
        return _Foreign("halaman HTML/XML/SVG", "an HTML/XML/SVG page")
    return TEXT


# --- Zip packages (OOXML and OpenDocument) -----------------------------------------------


@contextmanager
def _decoding(what_id: str, what_en: str) -> Iterator[None]:
    """Decoders signal damage with many exception types; here each of them means "corrupt"."""
    try:
        yield
    except RejectedFile:
        raise
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except Exception as error:
        raise _corrupt(what_id, what_en) from error


@contextmanager
def _open_zip(data: bytes) -> Iterator[zipfile.ZipFile]:
    with _decoding("arsip/dokumen", "archive/document"):
        archive = zipfile.ZipFile(io.BytesIO(data))
    with archive:
        yield archive


def _guard_zip(archive: zipfile.ZipFile) -> None:
    """Refuse archives that would explode or escape when unpacked, judging by the directory only."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise _zip_bomb(f"lebih dari {MAX_ZIP_MEMBERS} berkas", f"more than {MAX_ZIP_MEMBERS} files")
    if sum(member.file_size for member in members) > MAX_ZIP_TOTAL_BYTES:
        raise _zip_bomb("terlalu besar setelah dibuka", "too large once unpacked")
    names = [member.filename for member in members]
    if len(set(names)) != len(names):
        # Two readers could pick different copies of the same part: refuse the ambiguity.
        raise _corrupt("arsip/dokumen", "archive/document")
    for member in members:
        _guard_zip_member(member)


def _guard_zip_member(member: zipfile.ZipInfo) -> None:
    if _is_unsafe_zip_path(member.filename):
        raise _zip_bomb("nama berkas berbahaya di dalam arsip", "dangerous file name inside the archive")
    if _inflates_too_much(member):
        raise _zip_bomb("rasio kompresi tidak wajar", "abnormal compression ratio")
    if member.flag_bits & 0x1:
        raise _encrypted()


def _inflates_too_much(member: zipfile.ZipInfo) -> bool:
    ratio_limit = MAX_ZIP_RATIO * max(member.compress_size, 1)
    return member.file_size > ZIP_RATIO_APPLIES_ABOVE and member.file_size > ratio_limit


def _is_unsafe_zip_path(name: str) -> bool:
    path = name.replace("\\", "/")
    parts = path.split("/")
    return (
        path.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", path) is not None or "\x00" in path
    )


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """Read at most the declared size, so a lying directory cannot make us inflate more."""
    with _decoding("arsip/dokumen", "archive/document"), archive.open(member) as stream:
        content = stream.read(member.file_size + 1)
    if len(content) > member.file_size:
        raise _zip_bomb("ukuran isi tidak sesuai", "content larger than declared")
    return content


_OOXML_MAIN_TYPES: tuple[tuple[bytes, _FileType], ...] = (
    (b"wordprocessingml.document.main+xml", DOCX),
    (b"spreadsheetml.sheet.main+xml", XLSX),
    (b"presentationml.presentation.main+xml", PPTX),
)
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}


def _zip_kind(archive: zipfile.ZipFile) -> _FileType | _Foreign:
    names = set(archive.namelist())
    if "[Content_Types].xml" in names:
        return _ooxml_kind(archive, names)
    if "mimetype" in names:
        return _odf_kind(archive)
    return PLAIN_ZIP


def _ooxml_kind(archive: zipfile.ZipFile, names: set[str]) -> _FileType | _Foreign:
    content_types = _read_member(archive, archive.getinfo("[Content_Types].xml"))
    # Macros run code on the investigator's machine; renaming .docm to .docx would hide them.
    if b"macroEnabled" in content_types or any(name.lower().endswith("vbaproject.bin") for name in names):
        return _Foreign(
            "dokumen Office bermakro (DOCM/XLSM/PPTM)", "a macro-enabled Office document (DOCM/XLSM/PPTM)"
        )
    for main_type, file_type in _OOXML_MAIN_TYPES:
        if main_type in content_types:
            return file_type
    return _Foreign("dokumen Office jenis lain", "another kind of Office document")


def _odf_kind(archive: zipfile.ZipFile) -> _FileType | _Foreign:
    mimetype = _read_member(archive, archive.getinfo("mimetype")).strip()
    if "META-INF/manifest.xml" in archive.namelist():
        manifest = _read_member(archive, archive.getinfo("META-INF/manifest.xml"))
        if b"encryption-data" in manifest:
            raise _encrypted()
    return _ODF_MIMETYPES.get(
        mimetype, _Foreign("dokumen OpenDocument jenis lain", "another kind of OpenDocument file")
    )


_OOXML_CORE = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>
"""
_OOXML_APP = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>
"""
_ODF_OFFICE_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
_ODF_META = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta '
    + _ODF_OFFICE_NS
    + ' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="{version}"><office:meta/>'
    "</office:document-meta>\n"
)
# settings.xml carries the printer name and setup, which can point at an office or a desk.
_ODF_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-settings '
    + _ODF_OFFICE_NS
    + ' office:version="{version}"/>\n'
)

_REL_CORE = "/metadata/core-properties"
_REL_APP = "/extended-properties"
_REL_CUSTOM = "/custom-properties"
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def _clean_package(data: bytes, file_type: _FileType) -> bytes:
    with _open_zip(data) as archive:
        _guard_zip(archive)  # again: the cleaner must stay safe even if called on its own
        members = {member.filename: _read_member(archive, member) for member in archive.infolist()}
    members = _scrub_ooxml(members) if file_type.handler == "ooxml" else _scrub_odf(members)
    return _write_zip({name: _strip_embedded_image(content) for name, content in members.items()})


# Who wrote a comment or a tracked change, and when: Word (w:author, w:initials, w:date,
# w15:person's userId), Excel (<author>, persons' displayName/userId), PowerPoint
# (comment authors' name/initials/userId).
_PERSON_ATTRIBUTE = re.compile(
    rb"""(\s(?:\w+:)?(?:author|initials|userId|displayName)\s*=\s*)(["']).*?\2""", re.DOTALL
)
_AUTHOR_ELEMENT = re.compile(rb"(<(?:\w+:)?author>)[^<]*(</(?:\w+:)?author>)")
_REVISION_DATE = re.compile(rb"""\s(?:\w+:)?date\s*=\s*(["'])[^"']*\1""")
_POWERPOINT_AUTHOR_NAME = re.compile(
    rb"""(<(?:\w+:)?(?:cmAuthor|author)\b[^>]*?\sname\s*=\s*)(["']).*?\2""", re.DOTALL
)


def _without_people(xml: bytes) -> bytes:
    xml = _PERSON_ATTRIBUTE.sub(rb"\1\2\2", xml)
    xml = _AUTHOR_ELEMENT.sub(rb"\1\2", xml)
    xml = _POWERPOINT_AUTHOR_NAME.sub(rb"\1\2\2", xml)
    return _REVISION_DATE.sub(b"", xml)


def _scrub_ooxml(members: dict[str, bytes]) -> dict[str, bytes]:
    properties = _ooxml_property_parts(members.get("_rels/.rels", b""))
    cleaned = {
        name: _without_people(content) if name.endswith(".xml") else content
        for name, content in members.items()
    }
    for name in properties[_REL_CORE] & members.keys():
        cleaned[name] = _OOXML_CORE
    for name in properties[_REL_APP] & members.keys():
        cleaned[name] = _OOXML_APP
    for name in properties[_REL_CUSTOM]:
        cleaned = _without_ooxml_part(cleaned, name)
    return cleaned


def _ooxml_property_parts(package_rels: bytes) -> dict[str, set[str]]:
    """Where the property parts live: the usual names plus whatever the package relationships say."""
    parts = {
        _REL_CORE: {"docProps/core.xml"},
        _REL_APP: {"docProps/app.xml"},
        _REL_CUSTOM: {"docProps/custom.xml"},
    }
    for relationship in _RELATIONSHIP.findall(package_rels):
        rel_type, target = _xml_attribute(relationship, b"Type"), _xml_attribute(relationship, b"Target")
        for suffix, names in parts.items():
            if rel_type.endswith(suffix) and target:
                names.add(target.lstrip("/"))
    return parts


def _xml_attribute(element: bytes, name: bytes) -> str:
    match = re.search(rb"\b" + name + rb"\s*=\s*([\"'])(.*?)\1", element, re.DOTALL)
    return match.group(2).decode("utf-8", "replace") if match else ""


def _without_ooxml_part(members: dict[str, bytes], part: str) -> dict[str, bytes]:
    """Drop a part and the two references to it, so Office does not report a damaged file."""
    if part not in members:
        return members
    remaining = {name: content for name, content in members.items() if name != part}
    escaped = re.escape(part.encode())
    if "_rels/.rels" in remaining:
        target = rb"\bTarget\s*=\s*[\"']/?" + escaped + rb"[\"']"
        remaining["_rels/.rels"] = re.sub(
            rb"<(?:\w+:)?Relationship\b[^>]*" + target + rb"[^>]*>", b"", remaining["_rels/.rels"]
        )
    if "[Content_Types].xml" in remaining:
        part_name = rb"\bPartName\s*=\s*[\"']/" + escaped + rb"[\"']"
        remaining["[Content_Types].xml"] = re.sub(
            rb"<(?:\w+:)?Override\b[^>]*" + part_name + rb"[^>]*>", b"", remaining["[Content_Types].xml"]
        )
    return remaining


# Annotations and tracked changes name their author and time.
_ODF_CREATOR = re.compile(rb"(<dc:creator>)[^<]*(</dc:creator>)")
_ODF_DATE = re.compile(rb"(<dc:date>)[^<]*(</dc:date>)")


def _scrub_odf(members: dict[str, bytes]) -> dict[str, bytes]:
    cleaned = dict(members)
    for name in {"content.xml", "styles.xml"} & members.keys():
        without_creator = _ODF_CREATOR.sub(rb"\1\2", members[name])
        cleaned[name] = _ODF_DATE.sub(rb"\g<1>1980-01-01T00:00:00\2", without_creator)
    version = _odf_version(members.get("meta.xml", b""), members.get("content.xml", b""))
    if "meta.xml" in cleaned:
        cleaned["meta.xml"] = _ODF_META.format(version=version).encode()
    if "settings.xml" in cleaned:
        cleaned["settings.xml"] = _ODF_SETTINGS.format(version=version).encode()
    # The mimetype entry must come first for ODF readers to recognise the package.
    return {"mimetype": cleaned.pop("mimetype"), **cleaned}


def _odf_version(*parts: bytes) -> str:
    """The version the package declares, so the parts we replace agree with the rest."""
    for xml in parts:
        if match := re.search(rb"office:version\s*=\s*[\"']([0-9.]{1,8})[\"']", xml):
            return match.group(1).decode()
    return "1.2"


def _write_zip(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in members.items():
            # A fresh ZipInfo: fixed date, no extra fields (owner ids, NTFS times), no comments.
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o644 << 16
            archive.writestr(info, content)
    return output.getvalue()


# --- Embedded images (inside documents and PDFs) ---------------------------------------
# Rewritten at the container level, without decoding pixels: lossless, fast, and no
# decompression-bomb exposure. Only segments/chunks needed to render are kept.

_JPEG_KEPT_APP = {
    0xE0: b"JFIF\x00",
    0xE2: b"ICC_PROFILE\x00",
    0xEE: b"Adobe",
}  # JFIF, colour, Adobe transform
_PNG_KEPT_CHUNKS = frozenset(
    b"IHDR PLTE IDAT IEND tRNS gAMA cHRM sRGB iCCP sBIT bKGD pHYs acTL fcTL fdAT cICP mDCv cLLi".split()
)


def _strip_embedded_image(content: bytes) -> bytes:
    if content.startswith(b"\xff\xd8\xff"):
        return _strip_jpeg_segments(content)
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return _strip_png_chunks(content)
    return content


def _strip_jpeg_segments(data: bytes) -> bytes:
    """Drop EXIF/XMP (APP1), IPTC, comments, other APPn and anything after EOI.

    Returns the input unchanged when its marker structure cannot be followed: such an
    image does not render, and refusing the whole document for it would be harsher.
    """
    output = bytearray(b"\xff\xd8")
    position = 2
    while position < len(data):
        if data[position] != 0xFF:
            return data
        while position < len(data) and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= len(data):
            return data
        marker = data[position]
        position += 1
        if marker == 0xD9:  # end of image: whatever follows (phone "trailers") is dropped
            return bytes(output + b"\xff\xd9")
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # standalone markers carry no length
            output += bytes((0xFF, marker))
            continue
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2 or position + length > len(data):
            return data
        payload = data[position + 2 : position + length]
        if _keep_jpeg_segment(marker, payload):
            output += bytes((0xFF, marker)) + data[position : position + length]
        position += length
        if marker == 0xDA:  # start of scan: entropy-coded data runs until the next real marker
            end = _end_of_entropy_data(data, position)
            output += data[position:end]
            position = end
    return bytes(output)  # no EOI: decoders tolerate it, and no metadata can follow


def _keep_jpeg_segment(marker: int, payload: bytes) -> bool:
    if marker == 0xFE:  # comment
        return False
    if 0xE0 <= marker <= 0xEF:
        signature = _JPEG_KEPT_APP.get(marker)
        return signature is not None and payload.startswith(signature)
    return True


def _end_of_entropy_data(data: bytes, position: int) -> int:
    while (found := data.find(b"\xff", position)) != -1 and found + 1 < len(data):
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte or restart marker
            position = found + 2
            continue
        return found
    return len(data)


def _strip_png_chunks(data: bytes) -> bytes:
    """Keep only the chunks needed to draw the image (drops tEXt/iTXt/zTXt, eXIf, tIME, private ones)."""
    output = bytearray(data[:8])
    position = 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        chunk_type = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            return data
        if chunk_type in _PNG_KEPT_CHUNKS:
            output += data[position:end]
        position = end
        if chunk_type == b"IEND":
            return bytes(output)
    return data


# --- Images -----------------------------------------------------------------------------

_PILLOW_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
_ANIMATED_FORMATS = frozenset({"PNG", "WEBP", "GIF"})
# Everything else in Image.info (exif, xmp, comment, text chunks, dpi...) is dropped.
_KEPT_FRAME_INFO = frozenset({"transparency", "duration", "background"})


def _clean_image(data: bytes, file_type: _FileType) -> bytes:
    """Re-encode the pixels: the only output is what the picture looks like."""
    pillow_format = _PILLOW_FORMATS[file_type.extension]
    with _decoding("gambar", "image"):
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            image.verify()  # checks structure (PNG CRCs...) without decoding; leaves the image unusable
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            frames = _upright_frames(image, pillow_format)
            return _encode_image(frames, pillow_format, image.info)


def _clean_heif(data: bytes, file_type: _FileType) -> bytes:
    """Decoded and saved as JPEG: the pixels only, upright, without EXIF or XMP."""
    with _decoding("gambar", "image"), Image.open(io.BytesIO(data), formats=["HEIF"]) as image:
        return _encode_image(_upright_frames(image, "HEIF"), "JPEG", image.info)


def _upright_frames(image: Image.Image, pillow_format: str) -> list[Image.Image]:
    animated = pillow_format in _ANIMATED_FORMATS and getattr(image, "n_frames", 1) > 1
    frame_count = getattr(image, "n_frames", 1) if animated else 1
    if image.width * image.height * frame_count > MAX_IMAGE_PIXELS:
        raise _too_many_pixels()
    if not animated:
        # JPEG "MPO" files hold extra pictures (depth maps, previews): only the main one is kept.
        return [_without_info(_upright(image))]
    return [_without_info(frame.copy()) for frame in ImageSequence.Iterator(image)]


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation to the pixels, since the EXIF tag itself is about to go."""
    image.load()
    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        # A malformed EXIF block should not cost the reporter the photo: keep it unrotated.
        return image.copy()


def _without_info(image: Image.Image) -> Image.Image:
    image.info = {key: value for key, value in image.info.items() if key in _KEPT_FRAME_INFO}
    return image


def _encode_image(frames: list[Image.Image], pillow_format: str, source_info: Mapping[Any, Any]) -> bytes:
    frames = [_encodable(frame, pillow_format) for frame in frames]
    options: dict[str, Any] = _IMAGE_SAVE_OPTIONS[pillow_format].copy()
    if isinstance(source_info.get("icc_profile"), bytes):
        options["icc_profile"] = source_info["icc_profile"]  # colours, not people: kept
    if len(frames) > 1:
        options |= {
            "save_all": True,
            "append_images": frames[1:],
            "duration": [frame.info.get("duration", 100) for frame in frames],
            "loop": source_info.get("loop", 0),
        }
    output = io.BytesIO()
    frames[0].save(output, pillow_format, **options)
    return output.getvalue()


_IMAGE_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    # No optimize pass: it costs ~5x the encode time for ~4% smaller photos.
    "JPEG": {"quality": JPEG_QUALITY},
    "PNG": {"optimize": True},
    "WEBP": {"quality": JPEG_QUALITY},
    "GIF": {},
}


def _encodable(frame: Image.Image, pillow_format: str) -> Image.Image:
    if pillow_format == "JPEG" and frame.mode not in ("RGB", "L"):
        return _without_info(frame.convert("RGB"))  # CMYK/alpha: JPEG output keeps it simple
    if pillow_format == "PNG" and frame.mode in ("CMYK", "YCbCr", "LAB", "HSV"):
        return _without_info(frame.convert("RGB"))
    return frame


# --- PDF --------------------------------------------------------------------------------

# Per-object keys that carry metadata (XMP, application data) or active content.
_PDF_DROPPED_KEYS = ("/Metadata", "/PieceInfo", "/AA", "/JS")
# Annotations whose /T is not an author: a form field's /T is its name, which the form needs.
_PDF_UNAUTHORED_ANNOTATIONS = frozenset({"/Widget", "/Link", None})


def _clean_pdf(data: bytes, file_type: _FileType) -> bytes:
    with _decoding("PDF", "PDF"):
        reader = _read_pdf(data)
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        writer.metadata = None  # no /Info at all, not even pypdf's own Producer
        _scrub_pdf_objects(writer.root_object)
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()


def _read_pdf(data: bytes) -> PdfReader:
    # Not strict: real-world PDFs often have small xref errors; truncation still fails below.
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise _encrypted()
    if len(reader.pages) == 0:
        raise _corrupt("PDF", "PDF")
    for page in reader.pages:  # decode every page now, so damage surfaces here and not later
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()
    return reader


def _scrub_pdf_objects(root: DictionaryObject) -> None:
    """Walk every object reachable from the new catalog once, removing metadata as we go."""
    pending: list[Any] = [root]
    seen: set[int] = set()
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            item = item.get_object()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, DictionaryObject):
            _scrub_pdf_dictionary(item)
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def _scrub_pdf_dictionary(dictionary: DictionaryObject) -> None:
    for key in _PDF_DROPPED_KEYS:
        dictionary.pop(NameObject(key), None)
    if "/Rect" in dictionary and dictionary.get("/Subtype") not in _PDF_UNAUTHORED_ANNOTATIONS:
        # A comment, highlight or stamp: /T is its author, /M and /CreationDate its times.
        for key in ("/T", "/M", "/CreationDate"):
            dictionary.pop(NameObject(key), None)
    if isinstance(dictionary, StreamObject) and _is_plain_jpeg_image(dictionary):
        # JPEG bytes are embedded verbatim by many tools (img2pdf, fpdf2), EXIF and GPS included.
        # StreamObject.set_data stores the bytes as they are; the encoded subclass refuses DCT.
        StreamObject.set_data(dictionary, _strip_jpeg_segments(dictionary._data))


def _is_plain_jpeg_image(stream: StreamObject) -> bool:
    filters = stream.get("/Filter")
    if isinstance(filters, ArrayObject):
        filters = filters[0] if len(filters) == 1 else None
    return stream.get("/Subtype") == "/Image" and filters == "/DCTDecode"


# --- Video and audio (ISO base media) ---------------------------------------------------


def _clean_iso_media(data: bytes, file_type: _FileType) -> bytes:
    try:
        return scrub_iso_media(data)
    except MalformedMedia as error:
        raise _corrupt("video/audio", "video/audio") from error


# --- Pass-through -----------------------------------------------------------------------


def _as_is(data: bytes, file_type: _FileType) -> bytes:
    return data


_CLEANERS = {
    "image": _clean_image,
    "heif": _clean_heif,
    "pdf": _clean_pdf,
    "ooxml": _clean_package,
    "odf": _clean_package,
    "isomedia": _clean_iso_media,
    "as_is": _as_is,
}


# --- Display names ----------------------------------------------------------------------

_DISPLAY_PUNCTUATION = frozenset(" ._-()[]")
_CLIENT_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def safe_display_name(filename: str, extension: str) -> str:
    """A name fit to show and to offer on download; it never decides anything."""
    base = re.split(r"[\\/]", filename)[-1]
    kept = "".join(_display_character(character) for character in unicodedata.normalize("NFC", base))
    stem = _CLIENT_EXTENSION.sub("", " ".join(kept.split()))
    stem = stem.strip(" .")[: DISPLAY_NAME_MAX - len(extension) - 1].rstrip(" .")
    return f"{stem or 'berkas'}.{extension}"


def _display_character(character: str) -> str:
    category = unicodedata.category(character)
    if character.isspace() or category.startswith("C"):
        return " "  # control and bidi-override characters, newlines: become a plain space
    if category[0] in "LN" or character in _DISPLAY_PUNCTUATION:
        return character
    return ""
