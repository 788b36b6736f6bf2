"""Casework's settings, as the tenant's administrators edit them: deadlines, the wording
of what reporters are told at each step, and how long closed cases are kept."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.models import DeadlinePolicy, ReporterNotice, RetentionPolicy
from casework.workflow import DEFAULT_NOTICES
from tenants.accounts.permissions import MANAGE_SETTINGS
from tenants.audit.trail import audit_record
from tenants.errors import InvalidInput
from tenants.field_checks import required_text, whole_number

NOTICE_MAX = 2000
DEADLINE_FIELDS = (
    ("acknowledge_days", gettext_lazy("Konfirmasi penerimaan")),
    ("verification_days", gettext_lazy("Verifikasi kelengkapan")),
    ("answer_days", gettext_lazy("Jawaban kepada pelapor")),
    ("conclude_days", gettext_lazy("Penyelesaian")),
    ("close_after_answer_days", gettext_lazy("Penutupan setelah jawaban")),
)


def deadline_policy_update(*, actor: Any, days: dict[str, Any]) -> DeadlinePolicy:
    """Every deadline in working days, 1 to 365."""
    MANAGE_SETTINGS.require(actor)
    errors: dict[str, str] = {}
    values = {
        name: whole_number(days.get(name, ""), field=name, low=1, high=365, label=str(label), errors=errors)
        for name, label in DEADLINE_FIELDS
    }
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        policy = DeadlinePolicy.objects.select_for_update().order_by("pk").first() or DeadlinePolicy()
        for name, value in values.items():
            setattr(policy, name, value)
        policy.save()
        audit_record(action="settings_deadlines", actor=actor, days=values)
    return policy


def _known_notice(transition: str) -> str:
    if transition not in DEFAULT_NOTICES:
        raise InvalidInput({"transition": _("Pemberitahuan tidak dikenal.")})
    return transition


def reporter_notice_save(*, actor: Any, transition: str, body_id: str, body_en: str) -> ReporterNotice:
    """The tenant's own wording of what reporters are told at a workflow step."""
    MANAGE_SETTINGS.require(actor)
    transition = _known_notice(transition)
    errors: dict[str, str] = {}
    texts = {
        "body_id": required_text(
            body_id, field="body_id", label=_("Teks (Indonesia)"), limit=NOTICE_MAX, errors=errors
        ),
        "body_en": required_text(
            body_en, field="body_en", label=_("Teks (Inggris)"), limit=NOTICE_MAX, errors=errors
        ),
    }
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        notice, _created = ReporterNotice.objects.update_or_create(transition=transition, defaults=texts)
        audit_record(action="settings_notices", actor=actor, transition=transition, change="save")
    return notice


def reporter_notice_restore(*, actor: Any, transition: str) -> None:
    """Back to the platform's default wording."""
    MANAGE_SETTINGS.require(actor)
    transition = _known_notice(transition)
    with transaction.atomic():
        ReporterNotice.objects.filter(transition=transition).delete()
        audit_record(action="settings_notices", actor=actor, transition=transition, change="restore_default")


def clean_retention_years(years_after_closure: Any) -> int:
    errors: dict[str, str] = {}
    years = whole_number(
        years_after_closure,
        field="years_after_closure",
        low=1,
        high=100,
        label=_("Masa simpan (tahun)"),
        errors=errors,
    )
    if errors:
        raise InvalidInput(errors)
    return years


def retention_policy_update(*, actor: Any, years_after_closure: Any) -> RetentionPolicy:
    """How long a closed case is kept before it is shredded (cases closed before keep their date)."""
    MANAGE_SETTINGS.require(actor)
    years = clean_retention_years(years_after_closure)
    with transaction.atomic():
        policy = RetentionPolicy.current()
        policy.years_after_closure = years
        policy.save(update_fields=["years_after_closure"])
        audit_record(action="settings_retention", actor=actor, years_after_closure=years)
    return policy
