"""The types we accept: what each is stored as, and which cleaner rewrites it.

Accepting a new type takes an entry here, its extensions in ``ALLOWED_CLAIMS``, a way to
recognise it (identify.py), a cleaner (``_CLEANERS`` in __init__.py) and a mention in the
accepted list shown to reporters (refusals.py).

Kept apart from identify.py because the kind modules need these too (office_documents.py
tells a DOCX from an ODT) and identify.py needs them: one module for both would be a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Which cleaner rewrites the file; "as_is" stores it byte for byte.
Handler = Literal["image", "heif", "pdf", "ooxml", "odf", "isomedia", "as_is"]


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    handler: Handler


@dataclass(frozen=True)
class Foreign:
    """Content we recognise (or not) but do not accept; labels name it in messages."""

    label_id: str
    label_en: str
    executable: bool = False


JPEG = FileType("image/jpeg", "jpg", "image")
# iPhone photos (HEIC) are stored as the JPEG every browser and office can open.
HEIC = FileType("image/jpeg", "jpg", "heif")
PNG = FileType("image/png", "png", "image")
WEBP = FileType("image/webp", "webp", "image")
GIF = FileType("image/gif", "gif", "image")
PDF = FileType("application/pdf", "pdf", "pdf")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "ooxml")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "ooxml")
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "ooxml")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "odf")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods", "odf")
MP3 = FileType("audio/mpeg", "mp3", "as_is")
M4A = FileType("audio/mp4", "m4a", "isomedia")
MP4 = FileType("video/mp4", "mp4", "isomedia")
MOV = FileType("video/quicktime", "mov", "isomedia")
THREE_GP = FileType("video/3gpp", "3gp", "isomedia")
OGG = FileType("audio/ogg", "ogg", "as_is")
WAV = FileType("audio/wav", "wav", "as_is")
TEXT = FileType("text/plain", "txt", "as_is")

UNKNOWN = Foreign("jenis yang tidak dikenali", "an unrecognised type")

# Extensions a client may use for the types above: a name like this on other content is a disguise.
ALLOWED_CLAIMS = frozenset(
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
TEXT_CLAIMS = frozenset({"txt", "text"})
