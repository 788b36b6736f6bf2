"""Video and audio: ISO base media (MP4, MOV, 3GP, M4A) scrubbed without re-encoding; MP3 recognised.

Phones record where and when into metadata boxes: the location in ``moov/udta``
(``©xyz``) or ``moov/meta`` (Apple's ``com.apple.quicktime.location.ISO6709``),
device and owner names beside it, XMP in ``uuid`` boxes, and the recording time
in the movie, track and media headers. Re-encoding would need ffmpeg on every
server; instead each metadata box becomes a ``free`` box of the same size with
its bytes zeroed (players skip ``free``), and the header times are zeroed.
Nothing moves, so the sample offsets into ``mdat`` stay valid and the file plays
as before.

MP3, OGG and WAV are stored as they are; an MP3 without an ID3 tag is told apart from
other content here, by its frame header.
"""

from __future__ import annotations

from intake.evidence_files.file_types import FileType
from intake.evidence_files.refusals import corrupt

# Boxes whose children we walk: where metadata and headers live, never the media data.
_CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"edts", b"moof", b"traf", b"mvex"})
# Boxes that hold nothing a player needs: user data, metadata, vendor extensions, XMP.
_METADATA = frozenset({b"udta", b"meta", b"uuid", b"Xtra", b"XMP_"})
# Headers that carry creation and modification times (seconds since 1904).
_TIMED_HEADERS = frozenset({b"mvhd", b"tkhd", b"mdhd"})
_MAX_DEPTH = 8


class MalformedMedia(ValueError):
    """The box structure cannot be followed (truncated or inconsistent sizes)."""


def clean_iso_media(data: bytes, file_type: FileType) -> bytes:
    try:
        return scrub_iso_media(data)
    except MalformedMedia as error:
        raise corrupt("video/audio", "video/audio") from error


def scrub_iso_media(data: bytes) -> bytes:
    """The same file with its metadata boxes blanked and its header times zeroed."""
    scrubbed = bytearray(data)
    top_level = _scrub_boxes(scrubbed, 0, len(scrubbed), depth=0)
    if b"moov" not in top_level:
        raise MalformedMedia("no movie box")
    return bytes(scrubbed)


def _scrub_boxes(buffer: bytearray, start: int, end: int, *, depth: int) -> set[bytes]:
    """Scrub the boxes between start and end; returns the kinds seen at this level."""
    kinds: set[bytes] = set()
    position = start
    while position < end:
        if end - position < 8:
            raise MalformedMedia("a box header is cut short")
        size = int.from_bytes(buffer[position : position + 4], "big")
        kind = bytes(buffer[position + 4 : position + 8])
        header = 8
        if size == 1:  # a 64-bit size follows the kind
            size = int.from_bytes(buffer[position + 8 : position + 16], "big")
            header = 16
        elif size == 0:  # the box runs to the end of its parent
            size = end - position
        if size < header or position + size > end:
            raise MalformedMedia(f"box {kind!r} does not fit")
        body, box_end = position + header, position + size
        kinds.add(kind)
        if kind in _METADATA:
            buffer[position + 4 : position + 8] = b"free"
            buffer[body:box_end] = bytes(box_end - body)
        elif kind in _TIMED_HEADERS:
            _zero_header_times(buffer, body, box_end)
        elif kind in _CONTAINERS and depth < _MAX_DEPTH:
            _scrub_boxes(buffer, body, box_end, depth=depth + 1)
        position = box_end
    return kinds


def _zero_header_times(buffer: bytearray, body: int, end: int) -> None:
    """mvhd/tkhd/mdhd: version, flags, then creation and modification time (4 or 8 bytes each)."""
    width = 8 if body < end and buffer[body] == 1 else 4
    times_end = body + 4 + 2 * width
    if times_end > end:
        raise MalformedMedia("a header box is cut short")
    buffer[body + 4 : times_end] = bytes(2 * width)


# --- MP3 --------------------------------------------------------------------------------


def is_mpeg_audio_frame(header: bytes) -> bool:
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
