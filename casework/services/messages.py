"""Writing to the reporter from a case: the message goes through intake's mailbox, the
case's timeline and audit trail record that it was sent (never what it says)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from casework.access import require
from casework.models import Case, CaseEvent
from intake.models import Message
from intake.services.mailbox import staff_message_post
from tenants.audit.trail import audit_record


def case_message_reporter(*, case: Case, actor: Any, body: str, notice: str = "") -> Message:
    """Send ``body`` to the case's reporter; ``notice`` names the workflow notice it is,
    when it is one (the mailbox shows those in the reporter's language)."""
    require(actor, "message_reporter")
    with transaction.atomic():
        message = staff_message_post(report=case.report, staff_user=actor, body=body, notice=notice)
        CaseEvent.objects.create(case=case, kind="message_to_reporter", actor=actor)
        audit_record(action="message_to_reporter", actor=actor, case_id=case.pk, message_id=message.pk)
    return message
