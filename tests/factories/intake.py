"""Reports as reporters send them, arriving through intake's own service."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

import factory
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django_tenants.utils import schema_context

from intake.models import Channel, IdentityMode
from intake.report_input import parse_report
from intake.services.reports import SubmittedReport, report_submit
from tenants.models import Tenant
from tests.factories.accounts import DEFAULT_TENANT, tenant_slug
from tests.support.evidence import pdf_with_author

Made = TypeVar("Made")

# A file as a test gives it: an UploadedFile, or (name, content) or (name, content, content type).
EvidenceFile = UploadedFile | tuple[str, bytes] | tuple[str, bytes, str]


def uploaded(files: Iterable[EvidenceFile]) -> list[UploadedFile]:
    return [item if isinstance(item, UploadedFile) else SimpleUploadedFile(*item) for item in files]


def report_arrival(
    *,
    tenant: Tenant | str,
    channel: str,
    received_on: date | None,
    files: Iterable[EvidenceFile],
    recorded_by: Any,
    consent: bool,
    **content: Any,
) -> SubmittedReport:
    """What the reporter sent (fields left None are not sent), checked by ``parse_report``
    and stored by ``report_submit``, which seals it under its own key and opens its case."""
    sent = {name: value for name, value in content.items() if value is not None}
    if consent:
        sent["consent_to_forward_identity"] = True
    with schema_context(tenant_slug(tenant)):
        return report_submit(
            draft=parse_report(sent),
            files=uploaded(files),
            channel=channel,
            received_on=received_on,
            staff_user=recorded_by,
        )


class ReportInput(factory.Factory[Made]):
    """What a report says and how it comes in; ``report_arrival`` takes these fields.

    The report's own fields are the reporter's input, named as in the intake API;
    ``consent`` is the reporter's consent to forward their identity. ``channel``,
    ``received_on`` and ``recorded_by`` are how staff record a report from another
    channel. ``files``: UploadedFiles or (name, content[, content type]) tuples."""

    class Meta:
        abstract = True

    class Params:
        # A receipt scanned to PDF, its author in the metadata (which intake strips).
        with_pdf = factory.Trait(
            files=factory.LazyFunction(lambda: [("kwitansi.pdf", pdf_with_author(), "application/pdf")])
        )

    tenant = DEFAULT_TENANT
    channel = Channel.WEB
    received_on: Any = None
    recorded_by: Any = None
    files: Any = ()
    consent = False

    category = "pungli"
    what = "Pungutan liar di loket perizinan"
    description = "Petugas loket meminta uang tambahan di luar tarif resmi agar izin cepat selesai."
    who: Any = None
    where: Any = None
    when: Any = None
    why: Any = None
    how: Any = None
    how_much: Any = None
    identity_mode = IdentityMode.ANONYMOUS
    identity: Any = None
    relation: Any = None
    notify_email: Any = None


class ReportFactory(ReportInput[SubmittedReport]):
    """A submitted report (``SubmittedReport``: its ids and the receipt, told once)."""

    class Meta:
        model = SubmittedReport

    @classmethod
    def _create(cls, model_class: type[SubmittedReport], **fields: Any) -> SubmittedReport:
        return report_arrival(**fields)
