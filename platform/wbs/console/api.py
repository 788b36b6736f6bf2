"""Operator API: list and onboard tenants (public schema, operators only)."""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from tenants.accounts.staff_sessions import verified_session_or_token
from tenants.errors import InvalidInput
from tenants.models import RegionKind, Tenant, TimeZone
from tenants.onboarding import BRANDING_FIELDS, TenantApplication, first_administrator_invite_again
from wbs.onboarding import tenant_onboard


class IsOperator(permissions.BasePermission):
    """An operator account, signed in with both factors (or by an operator's API token)."""

    message = (
        "Masuk sebagai operator dan konfirmasi kode autentikator. / Sign in as an operator with your code."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        return verified_session_or_token(request) and bool(request.user.is_staff)


class TenantSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="schema_name")
    domains = serializers.SerializerMethodField()
    parent_province = serializers.CharField(source="parent_province.schema_name", default=None)

    class Meta:
        model = Tenant
        fields = [
            "slug",
            "official_name",
            "short_name",
            "region_kind",
            "parent_province",
            "time_zone",
            "default_language",
            "status",
            "domains",
            "created_at",
        ]

    def get_domains(self, tenant: Tenant) -> list[str]:
        return [domain.domain for domain in tenant.domains.all()]


@extend_schema_field({"type": "string", "enum": list(RegionKind.values)})
class RegionKindName(serializers.CharField):
    """Documented as its choices; onboarding checks it, with its own message."""


@extend_schema_field({"type": "string", "enum": list(TimeZone.values)})
class TimeZoneName(serializers.CharField):
    """Documented as its choices; onboarding checks it, with its own message."""


class OnboardingSerializer(serializers.Serializer):
    slug = serializers.CharField(max_length=40)
    official_name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=80)
    region_kind = RegionKindName()
    time_zone = TimeZoneName()
    default_language = serializers.ChoiceField(choices=["id", "en"], default="id")
    parent_province = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    custom_domains = serializers.ListField(child=serializers.CharField(max_length=253), required=False)
    admin_email = serializers.CharField()
    admin_name = serializers.CharField(required=False, allow_blank=True, default="")
    branding = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text=f"Any of: {', '.join(BRANDING_FIELDS)}",
    )


class OnboardedSerializer(serializers.Serializer):
    tenant = TenantSerializer()
    invitation_sent_to = serializers.CharField(help_text="the first administrator's address, masked")


class InvitationSentSerializer(serializers.Serializer):
    invitation_sent_to = serializers.CharField(help_text="the first administrator's address, masked")


class TenantViewSet(viewsets.ViewSet):
    permission_classes = [IsOperator]
    lookup_field = "slug"

    @extend_schema(responses=TenantSerializer(many=True))
    def list(self, request: Request) -> Response:
        tenants = Tenant.objects.select_related("parent_province").prefetch_related("domains")
        return Response(TenantSerializer(tenants, many=True).data)

    @extend_schema(request=OnboardingSerializer, responses={201: OnboardedSerializer})
    def create(self, request: Request) -> Response:
        payload = OnboardingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data["parent_province"] = data.get("parent_province") or None
        try:
            result = tenant_onboard(TenantApplication(**data))
        except InvalidInput as error:
            return Response(
                {"detail": "Onboarding refused; nothing was created.", "errors": error.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        body = {
            "tenant": TenantSerializer(result.tenant).data,
            "invitation_sent_to": result.invitation_sent_to,
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: InvitationSentSerializer})
    @action(detail=True, methods=["post"], url_path="invitation")
    def invite_again(self, request: Request, slug: str) -> Response:
        """Send the first administrator a new invitation (to their address only)."""
        tenant = Tenant.objects.filter(schema_name=slug).first()
        if tenant is None:
            raise NotFound("No such tenant.")
        sent_to = first_administrator_invite_again(tenant=tenant)
        return Response({"invitation_sent_to": sent_to}, status=status.HTTP_202_ACCEPTED)


router = SimpleRouter(trailing_slash=False)
router.register("tenants", TenantViewSet, basename="operator-tenants")
