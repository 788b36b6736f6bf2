"""Refusals: ``RejectedFile`` and the wording of every refusal, in one place.

Each message is Bahasa Indonesia, then English, joined by " / ". The ``code`` is what
callers act on; the wording can change without breaking them. When a refusal happens is
decided where the kind of file is handled, and the name of a refused type comes from where
it is recognised; the sentences live here, so both languages can be read side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from intake.evidence_files.file_types import ALLOWED_CLAIMS, Foreign

MEGABYTE = 1024 * 1024


class RejectedFile(ValueError):
    """An upload we refuse; ``message`` is shown to the reporter (Indonesian, then English)."""

    def __init__(self, code: str, message: str) -> None:
        # Both in args so the exception survives pickling (Celery results, multiprocessing).
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


def _rejected(code: str, indonesian: str, english: str) -> RejectedFile:
    return RejectedFile(code, f"{indonesian} / {english}")


def _format_megabytes(size: int) -> str:
    megabytes = size / MEGABYTE
    return f"{megabytes:.0f}" if megabytes == int(megabytes) else f"{megabytes:.1f}"


# --- The upload as a whole --------------------------------------------------------------


def empty() -> RejectedFile:
    return _rejected("empty", "Berkas kosong.", "The file is empty.")


def too_large(max_bytes: int) -> RejectedFile:
    limit = _format_megabytes(max_bytes)
    return _rejected(
        "too_large",
        f"Berkas terlalu besar (maksimal {limit} MB).",
        f"File too large (maximum {limit} MB).",
    )


# --- What the file is -------------------------------------------------------------------

_ACCEPTED_ID = (
    "foto (JPG, HEIC, PNG, WEBP, GIF), PDF, dokumen (DOCX, XLSX, PPTX, ODT, ODS), "
    "audio/video (MP3, M4A, MP4, MOV, 3GP, OGG, WAV) atau teks (TXT)"
)
_ACCEPTED_EN = (
    "photos (JPG, HEIC, PNG, WEBP, GIF), PDF, documents (DOCX, XLSX, PPTX, ODT, ODS), "
    "audio/video (MP3, M4A, MP4, MOV, 3GP, OGG, WAV) or text (TXT)"
)


def type_not_allowed(found: Foreign) -> RejectedFile:
    return _rejected(
        "type_not_allowed",
        f"Jenis berkas ini tidak diterima ({found.label_id}). Yang diterima: {_ACCEPTED_ID}.",
        f"This file type is not accepted ({found.label_en}). Accepted: {_ACCEPTED_EN}.",
    )


def disguised(found: Foreign, claimed: str) -> RejectedFile:
    if claimed in ALLOWED_CLAIMS:
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


# --- What is inside it ------------------------------------------------------------------


def corrupt(what_id: str, what_en: str) -> RejectedFile:
    return _rejected(
        "corrupt",
        f"Berkas {what_id} rusak atau tidak lengkap. Simpan ulang atau unggah kembali berkasnya.",
        f"The {what_en} file is damaged or incomplete. Please save it again or re-upload it.",
    )


def encrypted() -> RejectedFile:
    return _rejected(
        "encrypted",
        "Berkas ini dilindungi kata sandi sehingga tidak dapat diperiksa. Unggah versi tanpa kata sandi.",
        "This file is password-protected, so it cannot be checked. Please upload a version without a password.",
    )


def zip_bomb(reason_id: str, reason_en: str) -> RejectedFile:
    return _rejected(
        "zip_bomb",
        f"Dokumen ini tidak dapat diterima karena isi arsipnya tidak wajar ({reason_id}).",
        f"This document cannot be accepted because its archive is abnormal ({reason_en}).",
    )


def too_many_pixels(max_pixels: int) -> RejectedFile:
    limit = max_pixels // 1_000_000
    return _rejected(
        "too_large",
        f"Gambar terlalu besar (maksimal {limit} megapiksel). Perkecil ukurannya lalu unggah lagi.",
        f"Image too large (maximum {limit} megapixels). Please resize it and upload it again.",
    )


@contextmanager
def decoding(what_id: str, what_en: str) -> Iterator[None]:
    """Decoders signal damage with many exception types; here each of them means "corrupt"."""
    try:
        yield
    except RejectedFile:
        raise
    except Exception as error:
        raise corrupt(what_id, what_en) from error
