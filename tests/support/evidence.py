"""Evidence files for tests, made in code: a phone photo with GPS, a PDF with an author."""

import io

from fpdf import FPDF
from PIL import Image

GPS_IFD = 0x8825


def jpeg_with_gps(width: int = 64, height: int = 48) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SAMSUNG"  # Make
    exif[0x0110] = "SM-A145F"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "S"
    gps[2] = (0.0, 53.0, 50.0)  # latitude of Palu
    gps[3] = "E"
    gps[4] = (119.0, 52.0, 12.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD), "fixture must carry GPS"
    return data


def heic_with_gps(width: int = 64, height: int = 48) -> bytes:
    """An iPhone-style HEIC photo with the phone's make and GPS in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 13"  # Model
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (0.0, 53.0, 50.0), 3: "E", 4: (119.0, 52.0, 12.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 200, 30)).save(buffer, format="HEIF", exif=exif.tobytes())
    data = buffer.getvalue()
    assert data[4:12] == b"ftypheic" and b"iPhone 13" in data, "fixture must be a HEIC with EXIF"
    return data


def pdf_with_author(author: str = "Budi Santoso") -> bytes:
    pdf = FPDF()
    pdf.set_author(author)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Kwitansi pembayaran proyek jalan")
    return bytes(pdf.output())


def executable_named_jpg() -> bytes:
    return b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00" + b"\x00" * 400
