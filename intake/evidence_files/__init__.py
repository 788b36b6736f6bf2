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

Where each rule lives:

- file_types.py: the accepted types, what each is stored as, the extensions a client may use;
- identify.py: what a file is by its content, and when its name makes it a disguise;
- refusals.py: ``RejectedFile`` and every message a reporter can see;
- images.py: photos (JPEG, PNG, WEBP, GIF, HEIC), and images inside PDFs and documents;
- pdfs.py: PDFs;
- office_documents.py: DOCX, XLSX, PPTX, ODT, ODS; zip_packages.py: the zip-bomb guards;
- media.py: MP4, MOV, 3GP, M4A, and MP3 frames;
- text.py: what counts as plain text;
- display_names.py: the name shown for a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from intake.evidence_files.display_names import safe_display_name
from intake.evidence_files.file_types import FileType, Handler
from intake.evidence_files.identify import identify
from intake.evidence_files.images import clean_heif, clean_image
from intake.evidence_files.media import clean_iso_media
from intake.evidence_files.office_documents import clean_package
from intake.evidence_files.pdfs import clean_pdf
from intake.evidence_files.refusals import RejectedFile, empty, too_large

__all__ = ["CleanedFile", "RejectedFile", "inspect_and_clean", "safe_display_name"]


@dataclass(frozen=True)
class CleanedFile:
    content: bytes  # what we store (metadata removed unless keep_original says otherwise)
    content_type: str  # detected from content, e.g. "image/jpeg", "application/pdf"
    extension: str  # canonical, from the detected type, e.g. "jpg", "pdf", "docx"
    display_name: str  # a safe display name derived from the client's filename
    original: bytes | None  # the untouched upload, only when keep_original=True, else None
    metadata_removed: bool  # True when we rewrote the file to remove metadata


def inspect_and_clean(
    data: bytes, filename: str, *, max_bytes: int, keep_original: bool = False
) -> CleanedFile:
    """Check an upload by its content and return the version safe to store.

    Raises RejectedFile (codes: empty, too_large, type_not_allowed, disguised, corrupt,
    zip_bomb, encrypted) when the file cannot be accepted.
    """
    _check_size(data, max_bytes)
    file_type = identify(data, filename)
    content = _CLEANERS[file_type.handler](data, file_type)
    return CleanedFile(
        content=content,
        content_type=file_type.content_type,
        extension=file_type.extension,
        display_name=safe_display_name(filename, file_type.extension),
        original=data if keep_original else None,
        metadata_removed=file_type.handler != "as_is",
    )


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise empty()
    if len(data) > max_bytes:
        raise too_large(max_bytes)


def _as_is(data: bytes, file_type: FileType) -> bytes:
    return data


# Each accepted type's handler (file_types.py) names its cleaner here.
_CLEANERS: dict[Handler, Callable[[bytes, FileType], bytes]] = {
    "image": clean_image,
    "heif": clean_heif,
    "pdf": clean_pdf,
    "ooxml": clean_package,
    "odf": clean_package,
    "isomedia": clean_iso_media,
    "as_is": _as_is,
}
