"""The audit trail as a spreadsheet, for auditors: what the page shows, filtered the
same way; the export itself is an entry in the trail."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from tenants.accounts.permissions import VIEW_AUDIT_TRAIL
from tenants.audit.selectors import AuditFilters, audit_rows, entries_for
from tenants.audit.trail import audit_record
from tenants.spreadsheet import csv_bytes

MAX_EXPORTED = 100_000


def audit_trail_csv(*, actor: Any, filters: AuditFilters) -> bytes:
    VIEW_AUDIT_TRAIL.require(actor)
    header = [_("Waktu"), _("Pelaku"), pgettext("audit column", "Tindakan"), _("Kasus"), _("Rincian")]
    rows = (
        [
            row.when.strftime("%Y-%m-%d %H:%M:%S"),
            row.actor,
            row.action,
            row.case,
            "; ".join(f"{key}: {value}" for key, value in row.details),
        ]
        for row in audit_rows(entries_for(actor, filters)[:MAX_EXPORTED])
    )
    with transaction.atomic():
        content, count = csv_bytes(header, rows, language=(get_language() or "id")[:2])
        audit_record(action="audit_export", actor=actor, rows=count, filters=filters.as_query())
    return content
