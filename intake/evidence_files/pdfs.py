"""PDFs: the pages copied into a new file without document properties, XMP or comment authors."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from intake.evidence_files.file_types import FileType
from intake.evidence_files.images import strip_jpeg_segments
from intake.evidence_files.refusals import corrupt, decoding, encrypted

# Per-object keys that carry metadata (XMP, application data) or active content.
_PDF_DROPPED_KEYS = ("/Metadata", "/PieceInfo", "/AA", "/JS")
# Annotations whose /T is not an author: a form field's /T is its name, which the form needs.
_PDF_UNAUTHORED_ANNOTATIONS = frozenset({"/Widget", "/Link", None})


def clean_pdf(data: bytes, file_type: FileType) -> bytes:
    with decoding("PDF", "PDF"):
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
        raise encrypted()
    if len(reader.pages) == 0:
        raise corrupt("PDF", "PDF")
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
        # StreamObject's own get_data/set_data read and store the bytes as they are; the
        # encoded subclass would decode them on reading and refuses DCT on writing.
        jpeg = StreamObject.get_data(dictionary)
        StreamObject.set_data(dictionary, strip_jpeg_segments(jpeg))


def _is_plain_jpeg_image(stream: StreamObject) -> bool:
    filters = stream.get("/Filter")
    if isinstance(filters, ArrayObject):
        filters = filters[0] if len(filters) == 1 else None
    return stream.get("/Subtype") == "/Image" and filters == "/DCTDecode"
