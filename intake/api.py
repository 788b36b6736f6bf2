"""Public intake API under /api/v1/intake/ (DRF; documented in the OpenAPI schema).

The receipt is only ever sent in a request body (POST /session), never in a URL;
it buys a short-lived bearer token for the mailbox endpoints.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import authentication, exceptions, permissions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import json as drf_json

from intake import abuse
from intake.models import ELEMENTS, Category, Report
from intake.report_input import parse_report
from intake.services.mailbox import (
    SESSION_LIFETIME,
    ReceiptRejected,
    mailbox_add_evidence,
    mailbox_open,
    mailbox_reply,
    mailbox_report,
    mailbox_view,
)
from intake.services.reports import report_submit
from tenants.api_base import TenantScopedAPIView
from tenants.errors import InvalidInput

# --- Documentation shapes (validation itself is intake.report_input, shared with the pages) ---


class PartySerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True)
    position = serializers.CharField(required=False, allow_blank=True)
    unit = serializers.CharField(required=False, allow_blank=True)


class IdentitySerializer(serializers.Serializer):
    name = serializers.CharField()
    nik = serializers.CharField(required=False, help_text="16 digits")
    phone = serializers.CharField(required=False)
    email = serializers.EmailField(required=False)


class ReportSubmissionSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="a category's code")
    what = serializers.CharField(max_length=200)
    description = serializers.CharField()
    who = PartySerializer(many=True, required=False)
    where = serializers.CharField(required=False)
    when = serializers.CharField(required=False, help_text="a date or a period; may be approximate")
    why = serializers.CharField(required=False)
    how = serializers.CharField(required=False)
    how_much = serializers.IntegerField(required=False, help_text="estimated loss in rupiah")
    identity_mode = serializers.ChoiceField(
        choices=["anonymous", "confidential", "open"], default="anonymous"
    )
    identity = IdentitySerializer(required=False)
    relation = serializers.ChoiceField(choices=["public", "employee", "other"], default="public")
    notify_email = serializers.EmailField(required=False, help_text="not for anonymous reports")
    consent_to_forward_identity = serializers.BooleanField(
        required=False, help_text="the identity may go along if the report is forwarded to a competent body"
    )
    evidence = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="multipart only"
    )


ERROR_RESPONSE = inline_serializer(
    "Error", {"detail": serializers.CharField(), "errors": serializers.DictField(required=False)}
)


def invalid(errors: dict[str, str]) -> Response:
    return Response(
        {"detail": "Laporan belum dapat diterima. / The request has problems.", "errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def too_many(error: abuse.TooManyAttempts) -> Response:
    response = Response(
        {
            "detail": f"Terlalu banyak percobaan; coba lagi dalam {error.retry_after} detik. / Too many attempts."
        },
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(error.retry_after)
    return response


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


def reporter_report(request: Request) -> Report:
    """The report whose mailbox session authenticated this request."""
    if not isinstance(request.auth, Report):
        raise exceptions.NotAuthenticated()
    return request.auth


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


class WholeBodyJSONParser(JSONParser):
    """DRF's JSON parser, decoding the body in one piece: DRF has already read a JSON
    body into memory, and its stream decoder cost twice the parsing itself."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(
                stream.read().decode(encoding),
                parse_constant=drf_json.strict_constant if self.strict else None,
            )
        except ValueError as error:  # also a body that is not in its declared charset
            raise exceptions.ParseError(f"JSON parse error - {error}") from error


class IntakeView(TenantScopedAPIView):
    authentication_classes: list[type[authentication.BaseAuthentication]] = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [WholeBodyJSONParser, MultiPartParser, FormParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AlwaysJSON


class ReporterSessionView(IntakeView):
    authentication_classes = [ReporterTokenAuthentication]
    permission_classes = [HasReporterSession]


# --- Endpoints ------------------------------------------------------------------------


class CategoriesView(IntakeView):
    @extend_schema(
        responses=inline_serializer(
            "Category", {"code": serializers.CharField(), "name": serializers.CharField()}, many=True
        )
    )
    def get(self, request: Request) -> Response:
        language = request.query_params.get("lang") or request.LANGUAGE_CODE
        return Response(
            [{"code": c.code, "name": c.name(language)} for c in Category.objects.filter(is_active=True)]
        )


class ReportsView(IntakeView):
    @extend_schema(
        request={
            "application/json": ReportSubmissionSerializer,
            "multipart/form-data": ReportSubmissionSerializer,
        },
        responses={
            201: inline_serializer("Receipt", {"receipt": serializers.CharField()}),
            400: ERROR_RESPONSE,
            429: ERROR_RESPONSE,
        },
    )
    def post(self, request: Request) -> Response:
        try:
            draft = parse_report(request.data)
            submitted = report_submit(draft=draft, files=request.FILES.getlist("evidence"))
        except InvalidInput as error:
            return invalid(error.errors)
        except abuse.TooManyAttempts as error:
            return too_many(error)
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
        request=inline_serializer("ReceiptLogin", {"receipt": serializers.CharField()}),
        responses={
            200: inline_serializer(
                "ReporterSession",
                {"token": serializers.CharField(), "expires_in": serializers.IntegerField()},
            ),
            400: ERROR_RESPONSE,
            429: ERROR_RESPONSE,
        },
    )
    def post(self, request: Request) -> Response:
        receipt = request.data.get("receipt") if hasattr(request.data, "get") else None
        if not isinstance(receipt, str) or not receipt.strip():
            return invalid({"receipt": "Masukkan kode laporan. / Enter your receipt."})
        try:
            token, _report = mailbox_open(receipt=receipt)
        except ReceiptRejected as rejected:
            return invalid({"receipt": rejected.message})
        except abuse.TooManyAttempts as error:
            return too_many(error)
        return Response({"token": token, "expires_in": int(SESSION_LIFETIME.total_seconds())})


class ReportView(ReporterSessionView):
    @extend_schema(
        responses=inline_serializer(
            "ReportStatus",
            {
                "state": serializers.CharField(),
                "status": serializers.CharField(),
                "status_en": serializers.CharField(),
                "what": serializers.CharField(),
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
        )
    )
    def get(self, request: Request) -> Response:
        view = mailbox_view(reporter_report(request))
        return Response(
            {
                "state": view.state,
                "status": view.status_id,
                "status_en": view.status_en,
                "what": view.what,
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
}
MESSAGE_SHAPE = inline_serializer("MailboxMessage", MESSAGE_FIELDS)


class MessagesView(ReporterSessionView):
    @extend_schema(responses=inline_serializer("MailboxMessages", MESSAGE_FIELDS, many=True))
    def get(self, request: Request) -> Response:
        return Response([message.__dict__ for message in mailbox_view(reporter_report(request)).messages])

    @extend_schema(
        request=inline_serializer(
            "Reply",
            {
                "body": serializers.CharField(),
                "evidence": serializers.ListField(child=serializers.FileField(), required=False),
            },
        ),
        responses={201: MESSAGE_SHAPE, 400: ERROR_RESPONSE},
    )
    def post(self, request: Request) -> Response:
        body = request.data.get("body") if hasattr(request.data, "get") else None
        try:
            mailbox_reply(
                report=reporter_report(request),
                body=body if isinstance(body, str) else "",
                files=request.FILES.getlist("evidence"),
            )
        except InvalidInput as error:
            return invalid(error.errors)
        return Response(
            mailbox_view(reporter_report(request)).messages[-1].__dict__, status=status.HTTP_201_CREATED
        )


class AttachmentsView(ReporterSessionView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "EvidenceUpload", {"evidence": serializers.ListField(child=serializers.FileField())}
            )
        },
        responses={
            201: inline_serializer("Stored", {"stored": serializers.IntegerField()}),
            400: ERROR_RESPONSE,
        },
    )
    def post(self, request: Request) -> Response:
        try:
            stored = mailbox_add_evidence(
                report=reporter_report(request), files=request.FILES.getlist("evidence")
            )
        except InvalidInput as error:
            return invalid(error.errors)
        return Response({"stored": len(stored)}, status=status.HTTP_201_CREATED)
