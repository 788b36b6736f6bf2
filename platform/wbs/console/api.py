"""Operator API: list and onboard tenants (public schema, operators only)."""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from tenants.errors import InvalidInput
from tenants.models import RegionKind, Tenant, TimeZone
from tenants.onboarding import BRANDING_FIELDS, TenantApplication
from wbs.onboarding import tenant_onboard


class IsOperator(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


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
    invitation_url = serializers.CharField()


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
        body = {"tenant": TenantSerializer(result.tenant).data, "invitation_url": result.invitation_url}
        return Response(body, status=status.HTTP_201_CREATED)


router = SimpleRouter(trailing_slash=False)
router.register("tenants", TenantViewSet, basename="operator-tenants")
