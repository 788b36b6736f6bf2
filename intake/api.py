"""Public intake API under /api/v1/intake/ (DRF; documented in the OpenAPI schema).

Every body is read through a serializer that is also its documentation: a report
through ``intake.report_input.ReportSubmissionSerializer`` (the portal form's rules
too), the mailbox's bodies through ``intake.mailbox_input``. Refusals have the one
shape of ``tenants.api_base``'s exception handler: 400 ``{"detail", "errors"}`` (a
missing, wrong, spent or expired proof of work too, on ``proof``).

The receipt is only ever sent in a request body (POST /session), never in a URL;
it buys a short-lived bearer token for the mailbox endpoints.

Each report costs its sender a proof of work (intake.proof_of_work): GET /challenge,
solve it, send the solution as ``proof`` with the report; POST /session needs one too
while the portal is under a flood of wrong receipts. No counter shared by every
reporter of the tenant refuses anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import authentication, exceptions, permissions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from intake.mailbox_input import EvidenceUploadSerializer, ReceiptLoginSerializer, ReplySerializer
from intake.models import ELEMENTS, Category, Report
from intake.proof_of_work import SenderProof, challenge_new, proof_spend
from intake.report_input import ReportSubmissionSerializer
from intake.services.mailbox import (
    SESSION_LIFETIME,
    mailbox_add_evidence,
    mailbox_open,
    mailbox_reply,
    mailbox_report,
    mailbox_view,
)
from intake.services.reports import report_submit
from tenants.api_base import TenantScopedAPIView

ERROR_RESPONSE = inline_serializer(
    "Error", {"detail": serializers.CharField(), "errors": serializers.DictField(required=False)}
)


# --- Reporter bearer tokens ---------------------------------------------------------


class ReporterTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` from POST /session; request.auth is the Report."""

    def authenticate(self, request: Request) -> tuple[Any, Report] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise exceptions.AuthenticationFailed("Use 'Authorization: Bearer <token>'.")
        report = mailbox_report(token.strip())
        if report is None:
            raise exceptions.AuthenticationFailed(
                "Sesi berakhir; masuk lagi dengan kode laporan. / Session expired."
            )
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), report

    def authenticate_header(self, request: HttpRequest) -> str:
        return "Bearer"


class ReporterSessionScheme(OpenApiAuthenticationExtension):
    """The mailbox session as the OpenAPI schema names it (``reporterSession``)."""

    target_class = ReporterTokenAuthentication
    name = "reporterSession"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "the token POST /api/v1/intake/session answers for a receipt",
        }


def reporter_report(request: Request) -> Report:
    """The report whose mailbox session authenticated this request."""
    if not isinstance(request.auth, Report):
        raise exceptions.NotAuthenticated()
    return request.auth


def reader_language(request: Request) -> str:
    """The language the reporter reads in: ``?lang=``, else the portal's (the language
    cookie, else the tenant's default; tenants.locale)."""
    language = request.query_params.get("lang") or request.LANGUAGE_CODE
    return "en" if language == "en" else "id"


READER_LANGUAGE = OpenApiParameter(
    "lang",
    str,
    enum=["id", "en"],
    required=False,
    description="the language the workflow's notices and status are read in (default: the portal's)",
)


class HasReporterSession(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, Report)


class AlwaysJSON(DefaultContentNegotiation):
    """Answer JSON whatever the Accept header says (DRF's documented way to skip
    negotiating the response): reporters' clients and the Swagger UI need nothing
    else, and parsing Accept was a measurable share of a submission's cost. The
    request body is still parsed by its Content-Type."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return first, first.media_type


class IntakeView(TenantScopedAPIView):
    authentication_classes: list[type[authentication.BaseAuthentication]] = []
    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AlwaysJSON


class ReporterSessionView(IntakeView):
    authentication_classes = [ReporterTokenAuthentication]
    permission_classes = [HasReporterSession]


# --- Endpoints ------------------------------------------------------------------------


class CategoriesView(IntakeView):
    @extend_schema(
        responses=inline_serializer(
            "PortalCategory", {"code": serializers.CharField(), "name": serializers.CharField()}, many=True
        )
    )
    def get(self, request: Request) -> Response:
        language = request.query_params.get("lang") or request.LANGUAGE_CODE
        return Response(
            [{"code": c.code, "name": c.name(language)} for c in Category.objects.filter(is_active=True)]
        )


CHALLENGE_SHAPE = inline_serializer(
    "ProofOfWorkChallenge",
    {
        "algorithm": serializers.CharField(help_text="SHA-256"),
        "challenge": serializers.CharField(help_text="hex SHA-256 of salt + the secret number"),
        "maxNumber": serializers.IntegerField(help_text="the number lies in 0..maxNumber"),
        "salt": serializers.CharField(help_text="carries the expiry; hash it verbatim"),
        "signature": serializers.CharField(),
    },
)


class ChallengeView(IntakeView):
    @extend_schema(
        responses={200: CHALLENGE_SHAPE},
        description=(
            "A proof-of-work challenge (ALTCHA's scheme, valid for three hours, one use). Find the "
            "number n in 0..maxNumber with hex(SHA-256(salt + decimal n)) == challenge, then send "
            "base64(JSON {algorithm, challenge, number: n, salt, signature}) as `proof` with a report "
            "(POST /reports) or, while the portal is under a flood of wrong receipts, with a receipt "
            "(POST /session). ALTCHA's client libraries solve it."
        ),
    )
    def get(self, request: Request) -> Response:
        response = Response(challenge_new())
        response["Cache-Control"] = "no-store"
        return response


class ReportsView(IntakeView):
    @extend_schema(
        request={
            "application/json": ReportSubmissionSerializer,
            "multipart/form-data": ReportSubmissionSerializer,
        },
        responses={
            201: inline_serializer(
                "Receipt",
                {
                    "receipt": serializers.CharField(),
                    "warning": serializers.CharField(),
                    "missing_elements": serializers.ListField(child=serializers.CharField()),
                },
            ),
            400: ERROR_RESPONSE,
        },
    )
    def post(self, request: Request) -> Response:
        submission = ReportSubmissionSerializer(data=request.data)
        submission.is_valid(raise_exception=True)
        draft = submission.validated_data
        proof_spend(SenderProof(solution=draft.proof))  # what the sender paid: nothing is stored without it
        submitted = report_submit(draft=draft, files=request.FILES.getlist("evidence"))
        return Response(
            {
                "receipt": submitted.receipt,
                "warning": "Simpan kode ini: hanya ditampilkan sekali. / Keep this code: it is shown only once.",
                "missing_elements": [name for name in ELEMENTS if name not in draft.present],
            },
            status=status.HTTP_201_CREATED,
        )


class SessionView(IntakeView):
    @extend_schema(
        request=ReceiptLoginSerializer,
        responses={
            200: inline_serializer(
                "ReporterSession",
                {"token": serializers.CharField(), "expires_in": serializers.IntegerField()},
            ),
            400: ERROR_RESPONSE,
        },
    )
    def post(self, request: Request) -> Response:
        login = ReceiptLoginSerializer(data=request.data)
        login.is_valid(raise_exception=True)
        token, _report = mailbox_open(  # ReceiptRejected, or a proof missing in a flood: a 400
            receipt=login.validated_data["receipt"], proof=SenderProof(solution=login.validated_data["proof"])
        )
        return Response({"token": token, "expires_in": int(SESSION_LIFETIME.total_seconds())})


class ReportView(ReporterSessionView):
    @extend_schema(
        responses=inline_serializer(
            "ReportStatus",
            {
                "reference": serializers.CharField(help_text="the case reference, e.g. WBS-2026-7KQ4M"),
                "received_on": serializers.DateField(help_text="the day it was received (never a time)"),
                "state": serializers.CharField(),
                "status": serializers.CharField(),
                "status_en": serializers.CharField(),
                "what": serializers.CharField(),
                "reported": serializers.DictField(
                    help_text="the reporter's copy of what they reported (what, description, who, …)"
                ),
                "how_much": serializers.IntegerField(allow_null=True),
                "next_step": serializers.ChoiceField(
                    choices=["", "acknowledge", "verification", "answer", "conclude"],
                    help_text="the next promised step; empty while waiting on the reporter or once dealt with",
                ),
                "next_step_due": serializers.DateField(allow_null=True),
                "evidence": serializers.ListField(child=serializers.CharField()),
                "outcome": serializers.CharField(),
                "outcome_summary": serializers.CharField(),
                "forwarded_to": serializers.CharField(
                    help_text="the inspectorate the report was forwarded to, if it was"
                ),
                "destroyed": serializers.BooleanField(
                    help_text="the report was destroyed under the retention schedule"
                ),
            },
        ),
        parameters=[READER_LANGUAGE],
    )
    def get(self, request: Request) -> Response:
        view = mailbox_view(reporter_report(request), language=reader_language(request))
        return Response(
            {
                "reference": view.reference,
                "received_on": view.received_on,
                "state": view.state,
                "status": view.status_id,
                "status_en": view.status_en,
                "what": view.what,
                "reported": view.narrative,
                "how_much": view.report.how_much,
                "next_step": view.next_step,
                "next_step_due": view.next_step_due,
                "evidence": view.evidence,
                "outcome": view.outcome,
                "outcome_summary": view.outcome_summary,
                "forwarded_to": view.forwarded_to,
                "destroyed": view.destroyed,
            }
        )


MESSAGE_FIELDS: dict[str, serializers.Field] = {
    "author": serializers.CharField(),
    "body": serializers.CharField(),
    "created_on": serializers.DateField(),
    "attachments": serializers.ListField(child=serializers.CharField()),
    "notice": serializers.CharField(
        help_text="the workflow step a system notice was sent for (its body in the reader's language); "
        "empty for written messages"
    ),
}
MESSAGE_SHAPE = inline_serializer("MailboxMessage", MESSAGE_FIELDS)


class MessagesView(ReporterSessionView):
    @extend_schema(
        responses=inline_serializer("MailboxMessages", MESSAGE_FIELDS, many=True),
        parameters=[READER_LANGUAGE],
    )
    def get(self, request: Request) -> Response:
        view = mailbox_view(reporter_report(request), language=reader_language(request))
        return Response([message.__dict__ for message in view.messages])

    @extend_schema(request=ReplySerializer, responses={201: MESSAGE_SHAPE, 400: ERROR_RESPONSE})
    def post(self, request: Request) -> Response:
        reply = ReplySerializer(data=request.data)
        reply.is_valid(raise_exception=True)
        mailbox_reply(
            report=reporter_report(request),
            body=reply.validated_data["body"],
            files=request.FILES.getlist("evidence"),
        )
        return Response(
            mailbox_view(reporter_report(request), language=reader_language(request)).messages[-1].__dict__,
            status=status.HTTP_201_CREATED,
        )


class AttachmentsView(ReporterSessionView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={
            201: inline_serializer("Stored", {"stored": serializers.IntegerField()}),
            400: ERROR_RESPONSE,
        },
    )
    def post(self, request: Request) -> Response:
        EvidenceUploadSerializer(data=request.data).is_valid(raise_exception=True)
        stored = mailbox_add_evidence(
            report=reporter_report(request), files=request.FILES.getlist("evidence")
        )
        return Response({"stored": len(stored)}, status=status.HTTP_201_CREATED)
