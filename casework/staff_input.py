"""What staff send with an action on a case: the request bodies of the staff API
(``/api/v1/cases/<id>/transition``, ``/assign``, ``/messages``, ``/notes``), which
validate them with these serializers and document them by them, and the pages that
post the same fields (the assignment form reads its input through
``CaseAssignInput`` too).

The rules of each action and their messages are the services': a known transition
from the case's state, a handler who may take the case, a message that is not
empty, and so on; a page posting the same text gets the same answer from the same
service. These serializers refuse only what is no input of any action: a value that
is not text, a NUL character in text kept as text (the reason; messages, notes and
summaries are sealed and keep any character, and a transition or outcome is looked
up by the service, as on the pages), a choice of a person or team that is not a
plain number (``ChosenId``, which the queue's filters use for their ``assignee``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.models import Outcome
from casework.workflow import TRANSITIONS
from intake.services.mailbox import MAX_MESSAGE_LENGTH
from tenants.field_checks import LARGEST_ID, object_id
from tenants.input_fields import GivenValue, ServiceText

SEND_AN_OBJECT = "Kirim sebuah objek JSON. / Send a JSON object."
UNKNOWN_CHOICE = "Pilihan tidak dikenal. / Unknown choice."


def chosen_id(value: Any) -> int | None:
    """A row picked by its id (``object_id``: a form's text or a JSON number), None when
    nothing was picked; ``ValidationError`` otherwise, never an id the database cannot take."""
    if value is None or value == "":
        return None
    number = object_id(value.strip() if isinstance(value, str) else value)
    if number is None:
        raise serializers.ValidationError(UNKNOWN_CHOICE)
    return number


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": LARGEST_ID, "nullable": True})
class ChosenId(GivenValue, serializers.Field):
    """A staff member or team, by id; empty or null for none."""

    def to_internal_value(self, data: Any) -> int | None:
        return chosen_id(data)


class KnownName(ServiceText):
    """A name the service looks up (and answers for when it does not know it)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(refuse_nul=False, **kwargs)


@extend_schema_field({"type": "string", "enum": list(TRANSITIONS)})
class TransitionName(KnownName):
    pass


@extend_schema_field({"type": "string", "enum": list(Outcome.values)})
class OutcomeName(KnownName):
    pass


class StaffInput(serializers.Serializer):
    default_error_messages = {"invalid": SEND_AN_OBJECT}


class CaseTransitionInput(StaffInput):
    transition = TransitionName(required=True, help_text="the step to take (GET /api/v1/cases/<id>)")
    message = ServiceText(
        refuse_nul=False,
        max_length=MAX_MESSAGE_LENGTH,
        help_text="to the reporter: required by request_clarification",
    )
    outcome = OutcomeName(help_text="required by conclude")
    summary = ServiceText(refuse_nul=False, help_text="required by conclude: what the reporter reads")


class CaseAssignInput(StaffInput):
    assignee = ChosenId(required=False, help_text="a case handler's id (GET /api/v1/cases/<id>/assign)")
    team = ChosenId(required=False, help_text="a team's id; a handler, a team or both")
    reason = ServiceText(help_text="why (the first 300 characters are kept)")


class CaseMessageInput(StaffInput):
    body = ServiceText(refuse_nul=False, max_length=MAX_MESSAGE_LENGTH, required=True, allow_blank=False)


class CaseNoteInput(StaffInput):
    body = ServiceText(
        refuse_nul=False, required=True, allow_blank=False, help_text="the first 10,000 characters are kept"
    )


class CaseExcludeInput(StaffInput):
    user = ChosenId(
        required=True,
        help_text="the person to exclude (supervisors), or one's own id to declare one's own conflict",
    )
    reason = ServiceText(help_text="why (required; the first 300 characters are kept)")


class ExclusionLiftInput(StaffInput):
    reason = ServiceText(help_text="why the exclusion no longer applies (required)")


class CasesCloseAsJunkInput(StaffInput):
    cases = serializers.ListField(
        child=serializers.CharField(max_length=40),
        help_text="the references of cases still in intake (received or verification), at most 500",
    )
