"""Images: photos re-encoded from their pixels, and images inside documents stripped in place.

An uploaded JPEG, PNG, WEBP or GIF is decoded and saved again, so nothing but what the
picture looks like survives; a HEIC photo is saved as JPEG. A JPEG or PNG inside a PDF or
an Office document is not decoded: its metadata segments are cut out of the bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pillow_heif
from PIL import Image, ImageOps, ImageSequence

from intake.evidence_files.file_types import FileType
from intake.evidence_files.refusals import decoding, too_many_pixels

pillow_heif.register_heif_opener()  # lets Pillow read HEIC photos (libheif, bundled in the wheel)

MAX_IMAGE_PIXELS = 50_000_000  # decoded pixels over all frames; ~200 MB of RGBA at most
JPEG_QUALITY = 90


@contextmanager
def _decoding_image() -> Iterator[None]:
    """Damage means "corrupt"; Pillow's own bomb guard (a canvas far past ours) means too many pixels."""
    with decoding("gambar", "image"):
        try:
            yield
        except Image.DecompressionBombError as error:
            raise too_many_pixels(MAX_IMAGE_PIXELS) from error


# --- Uploaded images --------------------------------------------------------------------

_PILLOW_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
_ANIMATED_FORMATS = frozenset({"PNG", "WEBP", "GIF"})
# Everything else in Image.info (exif, xmp, comment, text chunks, dpi...) is dropped.
_KEPT_FRAME_INFO = frozenset({"transparency", "duration", "background"})


def clean_image(data: bytes, file_type: FileType) -> bytes:
    """Re-encode the pixels: the only output is what the picture looks like."""
    pillow_format = _PILLOW_FORMATS[file_type.extension]
    with _decoding_image():
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            image.verify()  # checks structure (PNG CRCs...) without decoding; leaves the image unusable
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            frames = _upright_frames(image, pillow_format)
            return _encode_image(frames, pillow_format, image.info)


def clean_heif(data: bytes, file_type: FileType) -> bytes:
    """Decoded and saved as JPEG: the pixels only, upright, without EXIF or XMP."""
    with _decoding_image(), Image.open(io.BytesIO(data), formats=["HEIF"]) as image:
        return _encode_image(_upright_frames(image, "HEIF"), "JPEG", image.info)


def _upright_frames(image: Image.Image, pillow_format: str) -> list[Image.Image]:
    animated = pillow_format in _ANIMATED_FORMATS and getattr(image, "n_frames", 1) > 1
    frame_count = getattr(image, "n_frames", 1) if animated else 1
    if image.width * image.height * frame_count > MAX_IMAGE_PIXELS:
        raise too_many_pixels(MAX_IMAGE_PIXELS)
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


# --- Embedded images (inside documents and PDFs) ----------------------------------------
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


def strip_embedded_image(content: bytes) -> bytes:
    if content.startswith(b"\xff\xd8\xff"):
        return strip_jpeg_segments(content)
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return _strip_png_chunks(content)
    return content


def strip_jpeg_segments(data: bytes) -> bytes:
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
