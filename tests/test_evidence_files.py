"""Evidence uploads: accepted by content, metadata stripped, disguised files refused.

Every fixture is generated here, and every fixture that should carry metadata is first
checked to really carry it, so a cleaner that does nothing cannot pass.
"""

import io
import pickle
import struct
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

import pytest
from fpdf import FPDF
from PIL import Image, ImageSequence
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from intake.evidence_files import (
    CleanedFile,
    RejectedFile,
    inspect_and_clean,
    safe_display_name,
)
from tests.support.evidence import heic_with_gps

NAME = "Budi Santoso"
LIMIT = 10 * 1024 * 1024
GPS_IFD = 0x8825
EPOCH = (1980, 1, 1, 0, 0, 0)


def clean(data: bytes, filename: str, **options: bool) -> CleanedFile:
    return inspect_and_clean(data, filename, max_bytes=LIMIT, **options)


def refusal(data: bytes, filename: str, max_bytes: int = LIMIT) -> RejectedFile:
    with pytest.raises(RejectedFile) as caught:
        inspect_and_clean(data, filename, max_bytes=max_bytes)
    error = caught.value
    indonesian, _, english = error.message.partition(" / ")
    assert indonesian and english, f"message must be 'Bahasa Indonesia / English': {error.message!r}"
    return error


# --- Fixture builders -------------------------------------------------------------------


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = NAME  # Artist
    exif[0x010F] = "Samsung"  # Make
    if orientation:
        exif[0x0112] = orientation
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (0.0, 53.0, 12.5), 3: "E", 4: (119.0, 52.0, 30.0)})
    return exif


def jpeg_with_gps(size: tuple[int, int] = (64, 48), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{NAME}</dc:creator></x:xmpmeta>'.encode()
    image.save(buffer, "JPEG", exif=exif_with_gps(orientation), comment=NAME.encode(), xmp=xmp)
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the fixture really leaks: GPS, artist, comment
        assert check.getexif().get_ifd(GPS_IFD)
    assert NAME.encode() in data
    return data


def png_with_text() -> bytes:
    info = PngInfo()
    info.add_text("Author", NAME)
    info.add_itxt("Comment", f"Difoto oleh {NAME}")
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 30), (10, 120, 10, 200)).save(buffer, "PNG", pnginfo=info, exif=exif_with_gps())
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as check:
        assert check.info["Author"] == NAME
        assert check.getexif().get_ifd(GPS_IFD)
    return data


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares a huge canvas: what a decompression bomb looks like up front."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def pdf_with_author(with_photo: bool = False) -> bytes:
    pdf = FPDF()
    pdf.set_author(NAME)
    pdf.set_creator(f"Laptop {NAME}")
    pdf.set_title(f"Laporan oleh {NAME}")
    pdf.set_xmp_metadata(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{NAME}</dc:creator>'
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Bukti pungutan liar di loket")
    if with_photo:
        pdf.image(io.BytesIO(jpeg_with_gps()), x=10, y=30, w=40)
    data = bytes(pdf.output())
    assert NAME.encode() in data
    metadata = PdfReader(io.BytesIO(data)).metadata
    assert metadata is not None and metadata["/Author"] == NAME
    return data


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="jpeg" ContentType="image/jpeg"/>
<Override PartName="/word/document.xml" ContentType="{main}"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>
</Types>"""
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/>
</Relationships>"""
DOCUMENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>Kepala dinas meminta setoran.</w:t></w:r></w:p></w:body></w:document>"""
CORE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:creator>{NAME}</dc:creator><cp:lastModifiedBy>{NAME}</cp:lastModifiedBy>
<dcterms:created xsi:type="dcterms:W3CDTF">2025-03-01T08:15:00Z</dcterms:created>
</cp:coreProperties>"""
APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
<Company>Inspektorat Kabupaten Sukabumi</Company><Manager>Kepala Bidang</Manager></Properties>"""
CUSTOM = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="NIP"><vt:lpwstr>{NAME}</vt:lpwstr></property>
</Properties>"""


def docx(main_type: str = DOCX_MAIN, extra: Mapping[str, bytes | str] | None = None) -> bytes:
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": CONTENT_TYPES.format(main=main_type),
        "_rels/.rels": PACKAGE_RELS,
        "word/document.xml": DOCUMENT,
        "word/media/image1.jpeg": jpeg_with_gps(),
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "docProps/custom.xml": CUSTOM,
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 1, 8, 15, 0))  # when the reporter saved it
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


ODF_OFFICE = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3"'
ODF_META = 'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
ODF_CONFIG = 'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"'


def odt() -> bytes:
    members = {
        # A comment in the text names its author and time, as tracked changes do.
        "content.xml": f"<office:document-content {ODF_OFFICE}><office:body>Laporan"
        f"<office:annotation><dc:creator>{NAME}</dc:creator><dc:date>2025-03-01T08:15:00</dc:date>"
        "<text:p>cek lagi</text:p></office:annotation></office:body></office:document-content>",
        "meta.xml": f"<office:document-meta {ODF_OFFICE} {ODF_META}><office:meta>"
        f"<meta:initial-creator>{NAME}</meta:initial-creator></office:meta></office:document-meta>",
        # LibreOffice stores the printer here: it can point at one office and one desk.
        "settings.xml": f"<office:document-settings {ODF_OFFICE} {ODF_CONFIG}>"
        "<config:config-item config:name='PrinterName'>\\\\KANTOR\\HP-Lantai2</config:config-item>"
        "</office:document-settings>",
        "META-INF/manifest.xml": '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        for name, content in members.items():
            archive.writestr(name, content)
        archive.writestr("Pictures/foto.jpg", jpeg_with_gps())
    assert NAME.encode() in zip_members(buffer.getvalue())["meta.xml"]
    return buffer.getvalue()


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def assert_no_gps(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        exif = image.getexif()
        assert not exif
        assert not exif.get_ifd(GPS_IFD)
    assert b"Exif\x00\x00" not in data
    assert NAME.encode() not in data


# --- Images -----------------------------------------------------------------------------


def test_a_jpeg_loses_gps_artist_comment_and_xmp_but_stays_the_same_picture() -> None:
    cleaned = clean(jpeg_with_gps(), "IMG_0001.JPG")

    assert (cleaned.content_type, cleaned.extension, cleaned.metadata_removed) == ("image/jpeg", "jpg", True)
    assert_no_gps(cleaned.content)
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.format == "JPEG"
        assert image.size == (64, 48)
        assert "comment" not in image.info and "xmp" not in image.info
        rgb = image.convert("RGB")
        left, right = rgb.getpixel((5, 20)), rgb.getpixel((60, 20))
    assert isinstance(left, tuple) and isinstance(right, tuple)
    assert left[2] > 150 and right[0] > 150, "the pixels are the photo's, not a blank image"


def test_the_exif_orientation_is_applied_to_the_pixels_before_the_tag_goes() -> None:
    # Orientation 6: the camera was held sideways; viewers rotate 90 degrees to show it.
    cleaned = clean(jpeg_with_gps(size=(80, 40), orientation=6), "miring.jpg")

    assert_no_gps(cleaned.content)
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.size == (40, 80)


def test_a_png_loses_its_text_chunks_and_exif_and_keeps_its_pixels() -> None:
    original = png_with_text()
    cleaned = clean(original, "tangkapan layar.png")

    assert cleaned.content_type == "image/png"
    assert_no_gps(cleaned.content)
    with Image.open(io.BytesIO(cleaned.content)) as image, Image.open(io.BytesIO(original)) as before:
        assert not {"Author", "Comment"} & set(image.info)
        assert image.mode == "RGBA"
        assert image.tobytes() == before.tobytes()


def test_a_webp_with_exif_is_re_encoded_without_it() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 200)).save(buffer, "WEBP", exif=exif_with_gps())
    assert b"Exif" in buffer.getvalue() or NAME.encode() in buffer.getvalue()

    cleaned = clean(buffer.getvalue(), "foto.webp")

    assert (cleaned.content_type, cleaned.extension) == ("image/webp", "webp")
    assert_no_gps(cleaned.content)


def test_an_animated_gif_keeps_its_frames_and_loses_its_comment() -> None:
    frames = [Image.new("RGB", (20, 20), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0, comment=NAME)
    assert NAME.encode() in buffer.getvalue()
    with Image.open(buffer) as before:
        assert getattr(before, "n_frames", 1) == 3

    cleaned = clean(buffer.getvalue(), "animasi.gif")

    assert NAME.encode() not in cleaned.content
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.format == "GIF"
        assert len(list(ImageSequence.Iterator(image))) == 3
        assert "comment" not in image.info


def test_a_truncated_jpeg_is_corrupt() -> None:
    data = jpeg_with_gps(size=(300, 200))

    assert refusal(data[: len(data) // 2], "foto.jpg").code == "corrupt"


def test_a_png_with_a_broken_checksum_is_corrupt() -> None:
    data = bytearray(png_with_text())
    idat = data.index(b"IDAT")
    data[idat + 6] ^= 0xFF  # flip a byte of compressed pixel data: the CRC no longer matches

    assert refusal(bytes(data), "foto.png").code == "corrupt"


@pytest.mark.parametrize(("width", "height"), [(10_000, 6_000), (20_000, 20_000)])
def test_an_image_with_too_many_pixels_is_refused_before_decoding(width: int, height: int) -> None:
    error = refusal(png_header_only(width, height), "peta.png")

    assert error.code == "too_large"
    assert "megapiksel" in error.message


def test_allowed_content_under_another_allowed_name_is_stored_under_its_real_type() -> None:
    # Browsers and chat apps mislabel PNG/WEBP as .jpg all the time; the content decides.
    cleaned = clean(png_with_text(), "unduhan.jpg")

    assert (cleaned.content_type, cleaned.extension, cleaned.display_name) == (
        "image/png",
        "png",
        "unduhan.png",
    )


# --- PDF --------------------------------------------------------------------------------


def test_a_pdf_loses_its_document_properties_and_xmp() -> None:
    cleaned = clean(pdf_with_author(), "laporan.pdf")

    assert (cleaned.content_type, cleaned.extension, cleaned.metadata_removed) == (
        "application/pdf",
        "pdf",
        True,
    )
    assert NAME.encode() not in cleaned.content
    reader = PdfReader(io.BytesIO(cleaned.content))
    assert reader.metadata is None and "/Info" not in reader.trailer  # not even a Producer
    assert "/Metadata" not in reader.root_object
    assert len(reader.pages) == 1
    assert "Bukti pungutan liar" in reader.pages[0].extract_text()


def test_a_photo_embedded_in_a_pdf_loses_its_exif() -> None:
    original = pdf_with_author(with_photo=True)
    assert b"Exif\x00\x00" in original  # fpdf2 embeds the JPEG bytes as they are

    cleaned = clean(original, "laporan-foto.pdf")

    assert b"Exif\x00\x00" not in cleaned.content
    assert NAME.encode() not in cleaned.content
    page = PdfReader(io.BytesIO(cleaned.content)).pages[0]
    (photo,) = page.images
    assert photo.image is not None and photo.image.size == (64, 48)


def test_a_truncated_pdf_is_corrupt() -> None:
    data = pdf_with_author()

    assert refusal(data[: len(data) * 2 // 3], "laporan.pdf").code == "corrupt"


def test_a_password_protected_pdf_is_refused_with_a_request_for_an_open_copy() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_author())))
    writer.encrypt("rahasia")
    buffer = io.BytesIO()
    writer.write(buffer)

    error = refusal(buffer.getvalue(), "laporan.pdf")

    assert error.code == "encrypted"
    assert "kata sandi" in error.message and "password" in error.message


def test_an_html_page_named_pdf_is_refused() -> None:
    page = b"<!DOCTYPE html><html><script>fetch('//evil')</script></html>"

    assert refusal(page, "laporan.pdf").code in {"disguised", "type_not_allowed"}
    assert refusal(page, "halaman.html").code == "type_not_allowed"


# --- Office and OpenDocument ------------------------------------------------------------


def test_a_docx_loses_creator_company_custom_properties_and_timestamps() -> None:
    original = docx()
    assert NAME.encode() in zip_members(original)["docProps/core.xml"]

    cleaned = clean(original, "laporan.docx")

    assert (cleaned.extension, cleaned.metadata_removed) == ("docx", True)
    assert cleaned.content_type.endswith("wordprocessingml.document")
    members = zip_members(cleaned.content)
    assert (
        b"creator" not in members["docProps/core.xml"]
        and b"lastModifiedBy" not in members["docProps/core.xml"]
    )
    assert b"Company" not in members["docProps/app.xml"] and b"Manager" not in members["docProps/app.xml"]
    assert "docProps/custom.xml" not in members
    assert b"custom" not in members["[Content_Types].xml"] and b"custom" not in members["_rels/.rels"]
    assert members["word/document.xml"] == DOCUMENT.encode()
    assert all(NAME.encode() not in content for content in members.values())
    assert_no_gps(members["word/media/image1.jpeg"])  # a phone photo pasted into the report
    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as archive:
        assert {info.date_time for info in archive.infolist()} == {EPOCH}


WORD_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
W15_NS = 'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"'
EMAIL = "siti.rahma@sukabumikota.go.id"


def test_comments_and_tracked_changes_lose_who_made_them_and_when_but_keep_what_they_say() -> None:
    original = docx(
        extra={
            "word/document.xml": f"<w:document {WORD_NS}><w:body><w:p>"
            f'<w:ins w:id="1" w:author="{NAME}" w:date="2025-03-01T08:15:00Z"><w:r><w:t>setoran</w:t></w:r></w:ins>'
            "</w:p></w:body></w:document>",
            "word/comments.xml": f"<w:comments {WORD_NS}>"
            f'<w:comment w:id="0" w:author="{NAME}" w:initials="SR" w:date="2025-03-01T08:16:00Z">'
            "<w:p><w:r><w:t>Lihat kuitansi terlampir</w:t></w:r></w:p></w:comment></w:comments>",
            "word/people.xml": f'<w15:people {W15_NS}><w15:person w15:author="{NAME}">'
            f'<w15:presenceInfo w15:providerId="AD" w15:userId="{EMAIL}"/></w15:person></w15:people>',
            # The same for Excel's and PowerPoint's comment authors.
            "xl/comments1.xml": f"<comments><authors><author>{NAME}</author></authors></comments>",
            "ppt/commentAuthors.xml": f'<p:cmAuthorLst><p:cmAuthor id="0" name="{NAME}" initials="SR"/></p:cmAuthorLst>',
        }
    )

    members = zip_members(clean(original, "laporan.docx").content)

    everything = b"".join(members.values())
    assert NAME.encode() not in everything and EMAIL.encode() not in everything
    assert b"2025-03-01" not in everything and b'initials="SR"' not in everything
    assert b"Lihat kuitansi terlampir" in members["word/comments.xml"]
    assert b"<w:t>setoran</w:t>" in members["word/document.xml"]


def test_a_pdf_comment_loses_its_author_and_time_and_a_form_field_keeps_its_name() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_author())))
    note = Text(text="Tanda tangan palsu", rect=(50, 550, 200, 650))
    note[NameObject("/T")] = TextStringObject(NAME)
    note[NameObject("/M")] = TextStringObject("D:20250301081500+07'00'")
    writer.add_annotation(page_number=0, annotation=note)
    field = DictionaryObject(
        {
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
            NameObject("/T"): TextStringObject("nomor_kuitansi"),
        }
    )
    writer.add_annotation(page_number=0, annotation=field)
    output = io.BytesIO()
    writer.write(output)

    cleaned = PdfReader(io.BytesIO(clean(output.getvalue(), "bukti.pdf").content))

    annotations = [annotation.get_object() for annotation in cleaned.pages[0].annotations or []]
    comment = next(a for a in annotations if a["/Subtype"] == "/Text")
    assert "/T" not in comment and "/M" not in comment and comment["/Contents"] == "Tanda tangan palsu"
    assert next(a for a in annotations if a["/Subtype"] == "/Widget")["/T"] == "nomor_kuitansi"


def test_an_odt_loses_its_meta_and_printer_settings_and_keeps_mimetype_first_and_stored() -> None:
    cleaned = clean(odt(), "laporan.odt")

    assert (cleaned.content_type, cleaned.extension) == ("application/vnd.oasis.opendocument.text", "odt")
    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert {info.date_time for info in archive.infolist()} == {EPOCH}
    members = zip_members(cleaned.content)
    assert b'office:version="1.3"' in members["meta.xml"]
    assert all(NAME.encode() not in content and b"KANTOR" not in content for content in members.values())
    assert b"2025-03-01" not in members["content.xml"] and b"cek lagi" in members["content.xml"]
    assert_no_gps(members["Pictures/foto.jpg"])


def test_a_macro_enabled_document_named_docx_is_disguised() -> None:
    macro_doc = docx(main_type="application/vnd.ms-word.document.macroEnabled.main+xml")

    error = refusal(macro_doc, "laporan.docx")

    assert error.code == "disguised"
    assert "makro" in error.message


def test_a_plain_zip_is_not_allowed_and_is_disguised_when_named_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "isi")

    assert refusal(buffer.getvalue(), "arsip.zip").code == "type_not_allowed"
    assert refusal(buffer.getvalue(), "laporan.docx").code == "disguised"


def test_a_zip_bomb_shaped_like_a_docx_is_refused_from_its_directory_without_inflating(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=DOCX_MAIN))
        archive.writestr("word/document.xml", DOCUMENT)
        megabyte_of_zeros = bytes(1024 * 1024)
        with archive.open("word/media/bom.bin", "w") as member:  # streamed: never 200 MB in memory
            for _ in range(200):
                member.write(megabyte_of_zeros)
    assert len(buffer.getvalue()) < 1024 * 1024
    # ZipFile.open is the one way to a member's bytes (ZipFile.read and extract go through it).
    opened: list[str] = []
    open_member = zipfile.ZipFile.open

    def counting_open(
        zip_file: zipfile.ZipFile, member: str | zipfile.ZipInfo, mode: str = "r", *args: Any, **kwargs: Any
    ) -> Any:
        if mode == "r":
            opened.append(member if isinstance(member, str) else member.filename)
        return open_member(zip_file, member, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)

    error = refusal(buffer.getvalue(), "laporan.docx")

    assert error.code == "zip_bomb"
    assert opened == [], "judged from the zip directory, without inflating any member"


def test_a_small_member_that_inflates_more_than_100_times_is_refused() -> None:
    five_megabytes_of_zeros = bytes(5 * 1024 * 1024)  # ~5 KB deflated: far below the 100 MB total

    error = refusal(docx(extra={"word/media/image2.bin": five_megabytes_of_zeros}), "laporan.docx")

    assert error.code == "zip_bomb"
    assert "rasio" in error.message


def with_declared_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite a member's uncompressed size in the central directory, which readers trust."""
    patched = bytearray(data)
    entry = patched.index(b"PK\x01\x02")
    while patched[entry + 46 : entry + 46 + len(member)] != member.encode():
        entry = patched.index(b"PK\x01\x02", entry + 4)
    patched[entry + 24 : entry + 28] = struct.pack("<I", size)
    return bytes(patched)


def test_a_zip_whose_directory_lies_about_sizes_is_refused() -> None:
    data = docx()

    assert (
        refusal(with_declared_size(data, "word/document.xml", 300 * 1024 * 1024), "a.docx").code == "zip_bomb"
    )
    # Declared smaller than it is: we read no more than declared, and the checksum fails.
    assert refusal(with_declared_size(data, "word/document.xml", 10), "a.docx").code == "corrupt"


def test_a_zip_with_too_many_members_or_a_path_escape_is_refused() -> None:
    many = {f"word/part{index}.xml": b"" for index in range(2_001)}
    escape = {"../../etc/cron.d/evil": b"* * * * * root sh"}

    assert refusal(docx(extra=many), "laporan.docx").code == "zip_bomb"
    assert refusal(docx(extra=escape), "laporan.docx").code == "zip_bomb"


def test_a_broken_zip_is_corrupt() -> None:
    data = docx()

    assert refusal(data[: len(data) // 2], "laporan.docx").code == "corrupt"


# --- Disguised and unknown files --------------------------------------------------------


def test_a_windows_program_renamed_jpg_is_disguised() -> None:
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)

    error = refusal(program, "bukti.jpg")

    assert error.code == "disguised"
    assert "EXE" in error.message and error.message.startswith("Isi berkas")


def test_a_linux_program_renamed_png_is_disguised() -> None:
    assert refusal(b"\x7fELF\x02\x01\x01" + bytes(120), "foto.png").code == "disguised"


def test_programs_and_scripts_are_refused_under_any_name() -> None:
    assert refusal(b"MZ" + bytes(300), "setup.exe").code == "disguised"
    assert refusal(b"#!/bin/sh\nrm -rf ~\n", "catatan.txt").code == "disguised"


def test_plain_text_named_like_a_binary_type_is_disguised() -> None:
    assert refusal(b'Set shell = CreateObject("WScript.Shell")', "bukti.pdf").code == "disguised"


def test_unknown_binary_content_is_not_allowed_and_named_jpg_is_disguised() -> None:
    noise = bytes(range(256)) * 4

    assert refusal(noise, "data.bin").code == "type_not_allowed"
    assert refusal(noise, "foto.jpg").code == "disguised"
    assert refusal(b"II*\x00" + bytes(100), "scan.tiff").code == "type_not_allowed"


# --- Accepted as they are ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type", "extension"),
    [
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(64), "audio/mpeg", "mp3"),
        (b"\xff\xfb\x90\x64" + bytes(64), "audio/mpeg", "mp3"),
        (b"OggS\x00\x02" + bytes(64), "audio/ogg", "ogg"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64), "audio/wav", "wav"),
        (b"Pak kepala dinas meminta uang.\nBMKG tidak terkait.", "text/plain", "txt"),
        (b"BMKG: kronologi kejadian", "text/plain", "txt"),  # "BM" is also the BMP magic
        (b"ID3 adalah kode laporan ketiga", "text/plain", "txt"),  # "ID3" opens MP3 tags too
    ],
)
def test_audio_video_and_text_are_kept_byte_for_byte(data: bytes, content_type: str, extension: str) -> None:
    cleaned = clean(data, f"rekaman.{extension}")

    assert (cleaned.content_type, cleaned.extension) == (content_type, extension)
    assert cleaned.content == data
    assert cleaned.metadata_removed is False


def test_text_must_be_utf8_without_nul_bytes() -> None:
    assert refusal("Kronologi: uang Rp 5 juta".encode("utf-16"), "catatan.txt").code == "disguised"
    assert refusal(b"teks\x00biner", "catatan.dat").code == "type_not_allowed"


def test_an_iphone_heic_photo_is_stored_as_a_clean_jpeg() -> None:
    cleaned = clean(heic_with_gps(), "IMG_0042.HEIC")

    assert (cleaned.content_type, cleaned.extension, cleaned.display_name) == (
        "image/jpeg",
        "jpg",
        "IMG_0042.jpg",
    )
    assert cleaned.metadata_removed and b"iPhone" not in cleaned.content
    assert_no_gps(cleaned.content)
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))
        red, green, blue = image.convert("RGB").getpixel((10, 10))  # type: ignore[misc]
        assert green > 150 > red  # still the green picture


def test_a_broken_heic_is_refused_as_corrupt() -> None:
    assert refusal(heic_with_gps()[:200], "IMG_0042.HEIC").code == "corrupt"


# --- Phone videos and audio (ISO base media) -----------------------------------------

LOCATION = b"+00.8900+119.8700/"  # Palu, as a phone writes it (ISO 6709)


def box(kind: bytes, payload: bytes) -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def timed_header(kind: bytes, seconds_since_1904: int, rest: bytes) -> bytes:
    times = seconds_since_1904.to_bytes(4, "big") * 2
    return box(kind, b"\x00\x00\x00\x00" + times + rest)


def phone_video(brand: bytes = b"mp42") -> bytes:
    """A movie laid out as phones write it: ftyp, mdat, then moov with location and times."""
    recorded = 3_849_000_000  # 2025-12 in seconds since 1904
    android_location = box(
        b"udta", box(b"\xa9xyz", len(LOCATION).to_bytes(2, "big") + b"\x15\xc7" + LOCATION)
    )
    apple_location = box(b"meta", bytes(4) + box(b"keys", b"com.apple.quicktime.location.ISO6709" + LOCATION))
    track = box(
        b"trak",
        timed_header(b"tkhd", recorded, bytes(72))
        + box(
            b"mdia", timed_header(b"mdhd", recorded, bytes(8)) + box(b"minf", box(b"stbl", b"sample-table"))
        )
        + box(b"udta", box(b"\xa9nam", b"Galaxy A14 milik Siti")),
    )
    movie = box(
        b"moov", timed_header(b"mvhd", recorded, bytes(80)) + track + android_location + apple_location
    )
    return box(b"ftyp", brand + b"\x00\x00\x02\x00isommp42") + box(b"mdat", b"FRAME" * 400) + movie


@pytest.mark.parametrize(
    ("brand", "name", "content_type", "extension"),
    [
        (b"mp42", "VID_20251214_101500.mp4", "video/mp4", "mp4"),
        (b"qt  ", "IMG_0042.MOV", "video/quicktime", "mov"),
        (b"3gp4", "rekaman.3gp", "video/3gpp", "3gp"),
        (b"M4A ", "rekaman suara.m4a", "audio/mp4", "m4a"),
    ],
)
def test_phone_videos_and_audio_lose_location_owner_and_recording_time_but_still_play(
    brand: bytes, name: str, content_type: str, extension: str
) -> None:
    original = phone_video(brand)

    cleaned = clean(original, name)

    assert (cleaned.content_type, cleaned.extension, cleaned.metadata_removed) == (
        content_type,
        extension,
        True,
    )
    assert LOCATION not in cleaned.content and b"Galaxy" not in cleaned.content
    assert b"ISO6709" not in cleaned.content
    assert (3_849_000_000).to_bytes(4, "big") not in cleaned.content  # creation/modification times
    # Same size, same layout: the media data and the sample table are where they were.
    assert len(cleaned.content) == len(original)
    assert cleaned.content.index(b"FRAME" * 400) == original.index(b"FRAME" * 400)
    assert b"sample-table" in cleaned.content and b"free" in cleaned.content


def test_a_video_whose_boxes_do_not_add_up_is_refused_as_corrupt() -> None:
    truncated = phone_video()[:-30]
    assert refusal(truncated, "video.mp4").code == "corrupt"
    no_movie = box(b"ftyp", b"isom\x00\x00\x02\x00") + box(b"mdat", b"FRAME")
    assert refusal(no_movie, "video.mp4").code == "corrupt"


# --- Size, empty, originals -------------------------------------------------------------


def test_an_empty_upload_is_refused() -> None:
    error = refusal(b"", "kosong.jpg")

    assert error.code == "empty"
    assert error.message.startswith("Berkas kosong")


def test_an_oversize_upload_is_refused_with_the_limit_in_megabytes() -> None:
    error = refusal(b"x" * (LIMIT + 1), "besar.txt")

    assert error.code == "too_large"
    assert error.message == "Berkas terlalu besar (maksimal 10 MB). / File too large (maximum 10 MB)."
    assert clean(b"x" * LIMIT, "pas.txt").content_type == "text/plain"


def test_keep_original_returns_the_untouched_upload_next_to_the_cleaned_one() -> None:
    data = jpeg_with_gps()

    kept = clean(data, "foto.jpg", keep_original=True)
    not_kept = clean(data, "foto.jpg")

    assert kept.original == data
    assert kept.content != data
    assert_no_gps(kept.content)
    assert not_kept.original is None


def test_a_rejection_is_a_value_error_that_survives_pickling() -> None:
    error = refusal(b"", "x.jpg")

    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object, round-tripped

    assert isinstance(copy, RejectedFile) and isinstance(copy, ValueError)
    assert (copy.code, copy.message, str(copy)) == (error.code, error.message, error.message)


# --- Display names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "extension", "expected"),
    [
        ("../../etc/passwd.jpg", "jpg", "passwd.jpg"),
        ("C:\\Users\\budi\\IMG 0001.JPG", "jpg", "IMG 0001.jpg"),
        ("bukti\r\nfoto\x00\t(1).jpeg", "jpg", "bukti foto (1).jpg"),
        ("laporan\u202egpj.exe", "pdf", "laporan gpj.pdf"),  # right-to-left override trick
        ("rekaman <script>.mp3", "mp3", "rekaman script.mp3"),
        ("foto.exe", "png", "foto.png"),
        ("Laporan Pak H. Budi", "pdf", "Laporan Pak H. Budi.pdf"),
        ("Kuitansi [asli] - Dinas PU.pdf", "pdf", "Kuitansi [asli] - Dinas PU.pdf"),
        ("", "pdf", "berkas.pdf"),
        ("///", "jpg", "berkas.jpg"),
        ("....jpg", "jpg", "berkas.jpg"),
        ("%%%.docx", "docx", "berkas.docx"),
    ],
)
def test_display_names_are_base_names_with_safe_characters_and_the_real_extension(
    filename: str, extension: str, expected: str
) -> None:
    assert safe_display_name(filename, extension) == expected


def test_a_very_long_display_name_is_capped_at_80_characters_with_the_extension() -> None:
    name = safe_display_name("laporan " + "sangat panjang " * 30 + ".jpeg", "jpg")

    assert len(name) <= 80
    assert name.startswith("laporan sangat panjang")
    assert name.endswith(".jpg") and not name.endswith(" .jpg")


def test_the_display_name_of_a_cleaned_file_uses_the_detected_extension() -> None:
    cleaned = clean(pdf_with_author(), "C:\\Users\\budi\\Desktop\\bukti\nsetoran.PDF")

    assert cleaned.display_name == "bukti setoran.pdf"
