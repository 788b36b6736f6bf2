"""Staff API for casework, under /api/v1/cases on a tenant host (DRF; in the OpenAPI schema).

Every endpoint reaches cases only through ``casework.access``: the list is the
queue selector's (``casework.selectors.queue``: the staff pages' filters, read by the
same ``CaseQueueQuery``, from ``listable_cases``) and each case is
``case_for(user, reference)``, so a person excluded from a case (conflict of interest) gets
exactly the 404 of a case that does not exist. Roles that do not handle cases get 403
on every endpoint, whatever the id; an action the person's roles do not allow on a
case they can see is 403 with the roles it needs.

Bodies are read by the serializers of ``casework.staff_input`` (which the OpenAPI
schema shows); the services judge them, with the same messages as on the staff
pages. Refusals have the one shape of ``tenants.api_base``'s exception handler:
invalid input is 400 ``{"detail", "errors"}``, a destroyed report 410.

Authentication: a token (``Authorization: Token <key>``, issued by
``wbs staff_token``; tokens live in the tenant's schema, so one works on its own
tenant only) or a staff session confirmed with its TOTP code.
The reporter's identity is never part of any response here (see
``casework.services.identity``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import authentication, exceptions, generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser
from rest_framework.request import Request
from rest_framework.response import Response

from casework.access import NO_SUCH_EXCLUSION, case_for, exclusion_for, exclusions_for, require
from casework.models import Case, CaseEvent, CaseState, Exclusion, InternalNote, Team
from casework.selectors.queue import CaseQueueQuery, filtered_cases, handler_choices, queue_page_cases
from casework.services.cases import case_add_note, case_assign, case_exclude, exclusion_lift, note_text
from casework.services.junk import cases_close_as_junk
from casework.services.messages import case_message_reporter
from casework.services.transitions import case_transition
from casework.staff_input import (
    CaseAssignInput,
    CaseExcludeInput,
    CaseMessageInput,
    CaseNoteInput,
    CasesCloseAsJunkInput,
    CaseTransitionInput,
    ExclusionLiftInput,
)
from casework.workflow import available_transitions
from intake.encryption import KeyUnavailable, report_key
from intake.models import Attachment, Message
from tenants.accounts.models import User
from tenants.accounts.staff_sessions import IsVerifiedStaff
from tenants.api_base import TenantScopedAPIView
from tenants.clock import tenant_today
from tenants.json_parser import WholeBodyJSONParser

NOT_FOUND = "Kasus tidak ditemukan. / No such case."

# --- Response shapes --------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.full_name or user.get_username(), "email": user.email}


def team_data(team: Team | None) -> dict[str, Any] | None:
    return None if team is None else {"id": team.pk, "name": team.name}


class CaseSummarySerializer(serializers.Serializer):
    """One case as the queue shows it: no report content. The reference names it (its row id
    would tell the order of arrival)."""

    reference = serializers.CharField()
    state = serializers.ChoiceField(choices=CaseState.choices)
    state_label = serializers.CharField(source="get_state_display")
    outcome = serializers.CharField()
    category = serializers.CharField(source="report.category.code")
    category_name = serializers.SerializerMethodField()
    channel = serializers.CharField(source="report.channel")
    received_on = serializers.DateField()
    next_due = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_category_name(self, case: Case) -> str:
        return case.report.category.name(self.context.get("language", "id"))

    def get_overdue(self, case: Case) -> bool:
        today = self.context.get("today") or tenant_today()
        return case.next_due is not None and case.next_due < today

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_assignee(self, case: Case) -> dict[str, Any] | None:
        return person(case.assignee)

    @extend_schema_field(TeamSerializer(allow_null=True))
    def get_team(self, case: Case) -> dict[str, Any] | None:
        return team_data(case.team)


class CasePartySerializer(serializers.Serializer):
    name = serializers.CharField(required=False)
    position = serializers.CharField(required=False)
    unit = serializers.CharField(required=False)


class NarrativeSerializer(serializers.Serializer):
    what = serializers.CharField()
    description = serializers.CharField()
    who = CasePartySerializer(many=True, help_text="the reported people, never the reporter")
    where = serializers.CharField()
    when = serializers.CharField()
    why = serializers.CharField()
    how = serializers.CharField()
    how_much = serializers.IntegerField(allow_null=True, help_text="estimated loss in rupiah")


class CaseDetailSerializer(CaseSummarySerializer):
    """Documentation shape of GET /api/v1/cases/<reference> (built by ``case_detail``)."""

    identity_mode = serializers.CharField(
        help_text="whether the reporter gave an identity; never the identity"
    )
    relation = serializers.CharField()
    narrative = NarrativeSerializer(allow_null=True, help_text="null once the report was destroyed")
    present_elements = serializers.ListField(child=serializers.CharField())
    deadlines = serializers.DictField(child=serializers.DateField(allow_null=True))
    evidence = serializers.ListField(child=serializers.DictField())
    events = serializers.ListField(child=serializers.DictField())
    available_transitions = serializers.ListField(child=serializers.CharField())
    reopened_count = serializers.IntegerField()
    shredded = serializers.BooleanField()


TAGS = ["cases"]
CASE_ID = OpenApiParameter(
    "reference", str, OpenApiParameter.PATH, description="the case's reference (WBS-2026-7KQ4M)"
)
ERROR_RESPONSE = inline_serializer(
    "CaseError", {"detail": serializers.CharField(), "errors": serializers.DictField(required=False)}
)
ERRORS = {400: ERROR_RESPONSE, 403: ERROR_RESPONSE, 404: ERROR_RESPONSE}

MESSAGE_FIELDS: dict[str, serializers.Field] = {
    "id": serializers.IntegerField(),
    "author": serializers.ChoiceField(choices=["reporter", "staff"]),
    "staff_author": PersonSerializer(allow_null=True),
    "body": serializers.CharField(),
    "created_on": serializers.DateField(),
    "attachments": serializers.ListField(child=serializers.CharField()),
}
NOTE_FIELDS: dict[str, serializers.Field] = {
    "id": serializers.IntegerField(),
    "author": PersonSerializer(allow_null=True),
    "body": serializers.CharField(),
    "created_at": serializers.DateTimeField(),
}


# --- Common behaviour ---------------------------------------------------------------------


class CaseAPIView(TenantScopedAPIView):
    """Token or verified-session staff; the services' refusals are answered by the one
    exception handler (tenants.api_base)."""

    authentication_classes = [authentication.TokenAuthentication, authentication.SessionAuthentication]
    permission_classes = [IsVerifiedStaff]
    parser_classes = [WholeBodyJSONParser, FormParser]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Http404):
            # Missing, excluded or not a number: one answer, so nobody learns which.
            exc = exceptions.NotFound(NOT_FOUND)
        return super().handle_exception(exc)

    def body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        """The request body, validated by ``serializer_class`` (400 otherwise)."""
        given = serializer_class(data=self.request.data)
        given.is_valid(raise_exception=True)
        return dict(given.validated_data)

    def language(self) -> str:
        return getattr(self.request, "LANGUAGE_CODE", None) or "id"

    def staff_user(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # IsVerifiedStaff let only a signed-in account through
        return user

    def case(self, reference: str) -> Case:
        """The case, through the choke point: 403 for roles that handle no cases, else 404 or the case."""
        require(self.request.user, "view_cases")
        return case_for(self.request.user, reference)


# --- Cases: list and detail ---------------------------------------------------------------------


class CasePagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema(
    tags=TAGS,
    summary="Cases this staff member may see (open ones unless the state says otherwise)",
    parameters=[CaseQueueQuery],
    responses={200: CaseSummarySerializer(many=True), 400: ERROR_RESPONSE, 403: ERROR_RESPONSE},
)
class CaseListView(CaseAPIView, generics.ListAPIView):
    """The cases the staff member may know exist (never one they are excluded from), as the
    queue's filters select them: the staff pages' selector, parameters and messages."""

    serializer_class = CaseSummarySerializer
    pagination_class = CasePagination

    def get_queryset(self) -> QuerySet[Case]:
        require(self.request.user, "view_cases")
        query = CaseQueueQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return queue_page_cases(filtered_cases(self.request.user, query.validated_data))

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self.request, "tenant", None) is not None:
            context.update(language=self.language(), today=tenant_today())
        return context


def case_detail(case: Case, user: Any, *, language: str) -> dict[str, Any]:
    """The case with its decrypted narrative; the reporter's identity is never read here."""
    data = dict(CaseSummarySerializer(case, context={"language": language, "today": tenant_today()}).data)
    report = case.report
    narrative: dict[str, Any] | None = None
    evidence: list[dict[str, Any]] = []
    try:
        key = report_key(report)
    except KeyUnavailable:
        key = None
    if key is not None:
        sealed = key.open_json("narrative", bytes(report.sealed_narrative))
        narrative = {
            name: sealed.get(name, "") for name in ("what", "description", "where", "when", "why", "how")
        }
        narrative["who"] = sealed.get("who") or []
        narrative["how_much"] = report.how_much
        evidence = [
            {
                "id": item.pk,
                "name": key.open("attachment-name", bytes(item.sealed_display_name)).decode(),
                "content_type": item.content_type,
                "size": item.size,
                "uploaded_by": item.uploaded_by,
                "uploaded_on": item.uploaded_on,
            }
            for item in Attachment.objects.filter(report=report)
        ]
    events = [
        {
            "kind": event.kind,
            "actor": person(event.actor),
            "from_state": event.from_state,
            "to_state": event.to_state,
            "detail": event.detail,
            "created_at": event.created_at,
        }
        for event in CaseEvent.objects.filter(case=case).select_related("actor")
    ]
    data.update(
        identity_mode=report.identity_mode,
        relation=report.relation,
        narrative=narrative,
        present_elements=report.present_elements(),
        deadlines={
            name: getattr(case, name)
            for name in (
                "acknowledge_due",
                "verification_due",
                "answer_due",
                "conclude_due",
                "acknowledged_on",
                "verified_on",
                "answered_on",
                "concluded_on",
                "closed_on",
                "paused_on",
            )
        },
        evidence=evidence,
        events=events,
        available_transitions=[step.name for step in available_transitions(case, user)],
        reopened_count=case.reopened_count,
        shredded=key is None,
    )
    return data


class CaseDetailView(CaseAPIView):
    """One case: state, deadlines, timeline and the decrypted report; never the reporter's identity."""

    @extend_schema(
        tags=TAGS,
        parameters=[CASE_ID],
        summary="One case, with its narrative (never the reporter's identity)",
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = self.case(reference)
        return Response(case_detail(case, request.user, language=self.language()))


# --- Workflow and assignment ----------------------------------------------------------------


class CaseTransitionView(CaseAPIView):
    """A workflow step; each step names the roles that may take it (403 otherwise)."""

    @extend_schema(
        tags=TAGS,
        parameters=[CASE_ID],
        summary="Move the case along the workflow",
        request=CaseTransitionInput,
        responses={200: CaseDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case(reference)
        case = case_transition(case=case, actor=request.user, **self.body(CaseTransitionInput))
        # The step's result, even when it took the case out of this person's view (a step out
        # of intake): they may see what they just did, and nothing of the case after it.
        return Response(case_detail(case, request.user, language=self.language()))


class CasesCloseAsJunkView(CaseAPIView):
    """Junk that scripts sent, closed in one step: every chosen case or none (400 naming
    the cases it cannot take: unknown to the caller, or no longer in intake)."""

    @extend_schema(
        tags=TAGS,
        summary="Close cases still in intake as junk",
        request=CasesCloseAsJunkInput,
        responses={
            200: inline_serializer(
                "ClosedAsJunk", {"closed": serializers.ListField(child=serializers.CharField())}
            ),
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        closed = cases_close_as_junk(actor=request.user, references=self.body(CasesCloseAsJunkInput)["cases"])
        return Response({"closed": [case.reference for case in closed]})


ASSIGNEE_OPTIONS = inline_serializer(
    "AssigneeOptions", {"handlers": PersonSerializer(many=True), "teams": TeamSerializer(many=True)}
)


class CaseAssignView(CaseAPIView):
    """Assignment to a handler and/or team; people excluded from the case are never offered."""

    @extend_schema(
        tags=TAGS,
        parameters=[CASE_ID],
        summary="Who the case can be given to",
        responses={200: ASSIGNEE_OPTIONS, **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = self.case(reference)
        require(request.user, "assign")
        return Response(
            {
                "handlers": [person(user) for user in handler_choices(exclude_case=case)],
                "teams": [team_data(team) for team in Team.objects.order_by("name")],
            }
        )

    @extend_schema(
        tags=TAGS,
        parameters=[CASE_ID],
        summary="Give the case to a handler and/or a team",
        request=CaseAssignInput,
        responses={200: CaseSummarySerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case(reference)
        require(request.user, "assign")
        given = self.body(CaseAssignInput)
        case = case_assign(
            case=case,
            actor=request.user,
            assignee_id=given["assignee"],
            team_id=given["team"],
            reason=given["reason"],
        )
        case = self.case(case.report.reference)
        return Response(CaseSummarySerializer(case, context={"language": self.language()}).data)


# --- Messages with the reporter and internal notes ---------------------------------------------


class CaseMessagesView(CaseAPIView):
    """The mailbox between the inspectorate and the reporter."""

    @extend_schema(
        tags=TAGS,
        parameters=[CASE_ID],
        summary="The conversation with the reporter",
        responses={200: inline_serializer("CaseMessage", MESSAGE_FIELDS, many=True), **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = self.case(reference)
        key = report_key(case.report)
        attachments = Attachment.objects.filter(report=case.report, message__isnull=False)
        names: dict[int, list[str]] = {}
        for item in attachments:
            assert item.message_id is not None
            names.setdefault(item.message_id, []).append(
                key.open("attachment-name", bytes(item.sealed_display_name)).decode()
            )
        return Response(
            [
                {
                    "id": message.pk,
                    "author": message.author,
                    "staff_author": person(message.staff_author),
                    "body": key.open("message", bytes(message.sealed_body)).decode(),
                    "created_on": message.created_on,
                    "attachments": names.get(message.pk, []),
                }
                for message in Message.objects.filter(report=case.report).select_related("staff_author")
            ]
        )

    @extend_schema(
        tags=TAGS,
        parameters=[CASE_ID],
        summary="Write to the reporter (who is told there is news if they left an email)",
        request=CaseMessageInput,
        responses={201: inline_serializer("CaseMessageOut", MESSAGE_FIELDS), **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case(reference)
        require(request.user, "message_reporter")
        body = self.body(CaseMessageInput)["body"]
        # The service records the timeline event and the audit entry with the message.
        message = case_message_reporter(case=case, actor=self.staff_user(), body=body)
        key = report_key(case.report)
        return Response(
            {
                "id": message.pk,
                "author": message.author,
                "staff_author": person(message.staff_author),
                "body": key.open("message", bytes(message.sealed_body)).decode(),
                "created_on": message.created_on,
                "attachments": [],
            },
            status=status.HTTP_201_CREATED,
        )


def note_data(note: InternalNote, case: Case) -> dict[str, Any]:
    return {
        "id": note.pk,
        "author": person(note.author),
        "body": note_text(note, case),
        "created_at": note.created_at,
    }


class CaseNotesView(CaseAPIView):
    """Internal notes, sealed with the report's key."""

    @extend_schema(
        tags=TAGS,
        parameters=[CASE_ID],
        summary="Internal notes (never shown to the reporter)",
        responses={200: inline_serializer("CaseNote", NOTE_FIELDS, many=True), **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = self.case(reference)
        report_key(case.report)  # 410 once the report was destroyed
        return Response(
            [
                note_data(note, case)
                for note in InternalNote.objects.filter(case=case).select_related("author")
            ]
        )

    @extend_schema(
        tags=TAGS,
        parameters=[CASE_ID],
        summary="Add an internal note",
        request=CaseNoteInput,
        responses={201: inline_serializer("CaseNoteOut", NOTE_FIELDS), **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case(reference)
        require(request.user, "write_note")
        note = case_add_note(case=case, actor=request.user, body=self.body(CaseNoteInput)["body"])
        return Response(note_data(note, case), status=status.HTTP_201_CREATED)


# --- Conflicts of interest ------------------------------------------------------------------------

EXCLUSION_FIELDS: dict[str, serializers.Field] = {
    "id": serializers.IntegerField(),
    "case": serializers.CharField(help_text="the case's reference"),
    "person": PersonSerializer(),
    "reason": serializers.CharField(),
    "declared_by_self": serializers.BooleanField(),
    "excluded_by": PersonSerializer(allow_null=True),
    "created_at": serializers.DateTimeField(),
    "lifted_by": PersonSerializer(allow_null=True),
    "lifted_at": serializers.DateTimeField(allow_null=True),
    "lift_reason": serializers.CharField(),
}
EXCLUSION_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="the exclusion's id")


def exclusion_data(exclusion: Exclusion) -> dict[str, Any]:
    return {
        "id": exclusion.pk,
        "case": exclusion.case.reference,
        "person": person(exclusion.user),
        "reason": exclusion.reason,
        "declared_by_self": exclusion.declared_by_self,
        "excluded_by": person(exclusion.created_by),
        "created_at": exclusion.created_at,
        "lifted_by": person(exclusion.lifted_by),
        "lifted_at": exclusion.lifted_at,
        "lift_reason": exclusion.lift_reason,
    }


class CaseExclusionsView(CaseAPIView):
    """Who is excluded from the case (supervisors), and excluding someone or oneself."""

    @extend_schema(
        tags=TAGS,
        parameters=[CASE_ID],
        summary="The exclusions in force on the case (supervisors)",
        responses={200: inline_serializer("CaseExclusion", EXCLUSION_FIELDS, many=True), **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = self.case(reference)
        require(request.user, "exclude_others")
        exclusions = Exclusion.objects.in_force().filter(case=case)
        return Response(
            [
                exclusion_data(item)
                for item in exclusions.select_related("case", "user", "created_by", "lifted_by")
            ]
        )

    @extend_schema(
        tags=TAGS,
        parameters=[CASE_ID],
        summary="Exclude someone from the case (supervisors), or declare one's own conflict of interest",
        request=CaseExcludeInput,
        responses={201: inline_serializer("CaseExclusionOut", EXCLUSION_FIELDS), **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case(reference)
        given = self.body(CaseExcludeInput)
        exclusion = case_exclude(case=case, actor=request.user, user_id=given["user"], reason=given["reason"])
        return Response(exclusion_data(exclusion), status=status.HTTP_201_CREATED)


class ExclusionAPIView(CaseAPIView):
    """Exclusions for the people who may lift them: supervisors and administrators, on the
    cases they may know exist."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Http404):
            exc = exceptions.NotFound(NO_SUCH_EXCLUSION)
        return super().handle_exception(exc)

    def exclusion(self, pk: Any) -> Exclusion:
        require(self.request.user, "lift_exclusion")
        return exclusion_for(self.request.user, pk)


@extend_schema(
    tags=TAGS,
    summary="Exclusions in force and lifted, on the cases this supervisor or administrator may know",
    responses={200: inline_serializer("Exclusion", EXCLUSION_FIELDS, many=True), 403: ERROR_RESPONSE},
)
class ExclusionListView(ExclusionAPIView, generics.ListAPIView):
    pagination_class = CasePagination

    def get_queryset(self) -> QuerySet[Exclusion]:
        require(self.request.user, "lift_exclusion")
        return (
            exclusions_for(self.request.user)
            .select_related("case", "user", "created_by", "lifted_by")
            .order_by("-created_at", "-pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([exclusion_data(item) for item in page or []])


class ExclusionLiftView(ExclusionAPIView):
    @extend_schema(
        tags=TAGS,
        parameters=[EXCLUSION_ID],
        summary="Lift an exclusion, saying why (supervisors and administrators)",
        request=ExclusionLiftInput,
        responses={200: inline_serializer("ExclusionLifted", EXCLUSION_FIELDS), **ERRORS},
    )
    def post(self, request: Request, pk: str) -> Response:
        exclusion = self.exclusion(pk)
        lifted = exclusion_lift(
            exclusion=exclusion, actor=request.user, reason=self.body(ExclusionLiftInput)["reason"]
        )
        return Response(exclusion_data(lifted))
