"""Office (OOXML: DOCX, XLSX, PPTX) and OpenDocument (ODT, ODS) files: which is which, and cleaning.

Both are zip packages (zip_packages.py guards them). What a package holds is told by its
parts, not its leading bytes: OOXML names its main part in ``[Content_Types].xml``,
OpenDocument in its ``mimetype`` member. Cleaning replaces the property parts, removes who
wrote each comment or tracked change and when, and strips the images inside.
"""

from __future__ import annotations

import re
import zipfile

from intake.evidence_files.file_types import DOCX, ODS, ODT, PPTX, XLSX, FileType, Foreign
from intake.evidence_files.images import strip_embedded_image
from intake.evidence_files.refusals import encrypted
from intake.evidence_files.zip_packages import guard_zip, open_zip, read_member, write_zip

PLAIN_ZIP = Foreign("arsip ZIP", "a ZIP archive")

# --- Which kind of package --------------------------------------------------------------

_OOXML_MAIN_TYPES: tuple[tuple[bytes, FileType], ...] = (
    (b"wordprocessingml.document.main+xml", DOCX),
    (b"spreadsheetml.sheet.main+xml", XLSX),
    (b"presentationml.presentation.main+xml", PPTX),
)
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}


def package_kind(data: bytes) -> FileType | Foreign:
    """What a zip holds; the guards run first, so a zip bomb is refused before any member is read."""
    with open_zip(data) as archive:
        guard_zip(archive)
        return _zip_kind(archive)


def _zip_kind(archive: zipfile.ZipFile) -> FileType | Foreign:
    names = set(archive.namelist())
    if "[Content_Types].xml" in names:
        return _ooxml_kind(archive, names)
    if "mimetype" in names:
        return _odf_kind(archive)
    return PLAIN_ZIP


def _ooxml_kind(archive: zipfile.ZipFile, names: set[str]) -> FileType | Foreign:
    content_types = read_member(archive, archive.getinfo("[Content_Types].xml"))
    # Macros run code on the investigator's machine; renaming .docm to .docx would hide them.
    if b"macroEnabled" in content_types or any(name.lower().endswith("vbaproject.bin") for name in names):
        return Foreign(
            "dokumen Office bermakro (DOCM/XLSM/PPTM)", "a macro-enabled Office document (DOCM/XLSM/PPTM)"
        )
    for main_type, file_type in _OOXML_MAIN_TYPES:
        if main_type in content_types:
            return file_type
    return Foreign("dokumen Office jenis lain", "another kind of Office document")


def _odf_kind(archive: zipfile.ZipFile) -> FileType | Foreign:
    mimetype = read_member(archive, archive.getinfo("mimetype")).strip()
    if "META-INF/manifest.xml" in archive.namelist():
        manifest = read_member(archive, archive.getinfo("META-INF/manifest.xml"))
        if b"encryption-data" in manifest:
            raise encrypted()
    return _ODF_MIMETYPES.get(
        mimetype, Foreign("dokumen OpenDocument jenis lain", "another kind of OpenDocument file")
    )


# --- Cleaning ---------------------------------------------------------------------------

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


def clean_package(data: bytes, file_type: FileType) -> bytes:
    with open_zip(data) as archive:
        guard_zip(archive)  # again: the cleaner must stay safe even if called on its own
        members = {member.filename: read_member(archive, member) for member in archive.infolist()}
    members = _scrub_ooxml(members) if file_type.handler == "ooxml" else _scrub_odf(members)
    return write_zip({name: strip_embedded_image(content) for name, content in members.items()})


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
