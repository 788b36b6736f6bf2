"""Evidence files as staff handle them: adding a file to a case, and downloading
one through a short-lived link that is checked again when it is used.

A download link is signed for one person, one file and five minutes
(``casework.selectors.case_page.evidence_link_token``); following it checks the signature,
that the person still sees the case (``case_for``), and records the download in
the audit trail before a single byte is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404

from casework.access import case_for, require
from casework.models import Case, CaseEvent
from casework.selectors.case_page import evidence_link_claims
from intake.encryption import KeyUnavailable, report_key
from intake.evidence_storage import (
    prepare_evidence,
    read_evidence,
    record_files,
    remove_files,
    store_files,
    stored_names,
)
from intake.models import Attachment, Uploader
from tenants.audit.trail import audit_record
from tenants.errors import InvalidInput


class EvidenceLinkInvalid(PermissionError):
    """The link was tampered with, has expired, or belongs to someone else."""

    message = (
        "Tautan unduhan tidak berlaku lagi (berlaku 5 menit). Buka halaman kasus dan klik tautan yang baru. "
        "/ This download link has expired or is invalid; open the case page again."
    )


@dataclass
class EvidenceDownload:
    name: str
    content_type: str
    content: bytes


def case_add_evidence(*, case: Case, actor: Any, files: Sequence[UploadedFile]) -> list[Attachment]:
    """Staff attach evidence to a case: cleaned and sealed like a reporter's files."""
    require(actor, "upload_evidence")
    if not files:
        raise InvalidInput({"evidence": "Pilih berkas yang akan diunggah. / Choose a file to upload."})
    report = case.report
    prepared = prepare_evidence(files, already_stored=Attachment.objects.filter(report=report).count())
    try:
        key = report_key(report)
    except KeyUnavailable as error:
        raise InvalidInput(
            {"evidence": "Laporan ini sudah dimusnahkan. / This report was destroyed."}
        ) from error
    stored = store_files(key=key, prepared=prepared)  # before the audited transaction: storage is slow
    try:
        with transaction.atomic():
            attachments = record_files(report_id=report.pk, stored=stored, uploaded_by=Uploader.STAFF)
            CaseEvent.objects.create(
                case=case, kind="evidence_added", actor=actor, detail=f"{len(attachments)} file(s)"
            )
            audit_record(
                action="evidence_upload",
                actor=actor,
                case_id=case.pk,
                attachment_ids=[item.pk for item in attachments],
            )
    except BaseException:
        remove_files(stored_names(stored))
        raise
    return attachments


def evidence_download(*, token: str, actor: Any) -> EvidenceDownload:
    """The decrypted file behind a download link, recorded in the audit trail.

    Raises EvidenceLinkInvalid for a bad, expired or someone else's link and
    Http404 when the person no longer sees the case or the file is gone.
    """
    try:
        claims = evidence_link_claims(token)
    except signing.BadSignature as error:
        raise EvidenceLinkInvalid() from error
    if claims["u"] != getattr(actor, "pk", None):
        raise EvidenceLinkInvalid()
    reference = Case.objects.filter(pk=claims["c"]).values_list("report__reference", flat=True).first()
    case = case_for(actor, reference or "")  # visibility is checked now, not when the link was made
    attachment = Attachment.objects.filter(pk=claims["a"], report_id=case.report_id).first()
    if attachment is None:
        raise Http404("Berkas tidak ditemukan. / No such file.")
    try:
        key = report_key(case.report)
    except KeyUnavailable as error:
        raise Http404("Berkas sudah dimusnahkan. / The file was destroyed.") from error
    name, content = read_evidence(attachment, key)
    audit_record(action="evidence_download", actor=actor, case_id=case.pk, attachment_id=attachment.pk)
    return EvidenceDownload(name=name, content_type=attachment.content_type, content=content)
