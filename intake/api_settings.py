"""Tenant administrators manage their categories: ``/api/v1/settings/categories``.

The serializers are the documented and enforced contract of the input's shape; the
rules (a code's form and uniqueness, names, position) and their messages are the
services' (intake.services.categories), which the settings page calls with what its
form posts: the same bad input gets the same message from both, and every change is
audited (``settings_categories``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from intake.models import Category
from intake.services import categories
from tenants.accounts.permissions import MANAGE_SETTINGS
from tenants.api_base import TenantScopedViewSet, permission_required
from tenants.input_fields import GivenValue, ServiceText

WHOLE_NUMBER = "Harus berupa bilangan bulat. / Must be a whole number."


class CategorySerializer(serializers.ModelSerializer):
    """A category as the API answers it."""

    class Meta:
        model = Category
        fields = ["id", "code", "name_id", "name_en", "position", "is_active"]
        read_only_fields = fields


class ServicePosition(GivenValue, serializers.IntegerField):
    """A position for the service to judge: a whole number, or text the service reads as
    one (the page's form sends text); None when not given."""

    def to_internal_value(self, data: Any) -> int | str | None:
        if data is None or isinstance(data, str):
            return data
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        raise serializers.ValidationError(WHOLE_NUMBER)


class CategoryChange(serializers.Serializer):
    name_id = ServiceText(required=True, allow_blank=False, max_length=categories.NAME_MAX)
    name_en = ServiceText(required=True, allow_blank=False, max_length=categories.NAME_MAX)
    position = ServicePosition(
        required=False, min_value=0, max_value=categories.POSITION_MAX, help_text="omitted: unchanged"
    )
    is_active = serializers.BooleanField(required=False, help_text="false: no longer offered to reporters")


class CategoryInput(CategoryChange):
    code = ServiceText(
        required=True,
        allow_blank=False,
        max_length=40,
        help_text="2-40 lowercase letters, digits, - or _ (capitals are lowered); never changes once created",
    )
    position = ServicePosition(
        required=False, min_value=0, max_value=categories.POSITION_MAX, help_text="omitted: last"
    )


class CategoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    TenantScopedViewSet,
):
    serializer_class = CategorySerializer
    permission_classes = [permission_required(MANAGE_SETTINGS)]
    lookup_value_regex = "[0-9]+"  # ASCII digits (a pattern's [0-9] is ASCII; int() reads any script)
    queryset = Category.objects.all()

    @extend_schema(request=CategoryInput, responses={201: CategorySerializer})
    def create(self, request: Request) -> Response:
        given = CategoryInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        category = categories.category_create(
            actor=request.user,
            code=data["code"],
            name_id=data["name_id"],
            name_en=data["name_en"],
            position=data["position"],
        )
        if data.get("is_active") is False:
            category = categories.category_set_active(actor=request.user, category=category, active=False)
        return Response(CategorySerializer(category).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CategoryChange, responses=CategorySerializer)
    def update(self, request: Request, pk: Any = None) -> Response:
        return self.change(request, partial=False)

    @extend_schema(request=CategoryChange, responses=CategorySerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        return self.change(request, partial=True)

    def change(self, request: Request, *, partial: bool) -> Response:
        category = self.get_object()
        given = CategoryChange(data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if {"name_id", "name_en", "position"} & set(data):
            position = data.get("position")
            category = categories.category_update(
                actor=request.user,
                category=category,
                name_id=data.get("name_id", category.name_id),
                name_en=data.get("name_en", category.name_en),
                position=category.position if position is None else position,
            )
        if "is_active" in data and data["is_active"] != category.is_active:
            category = categories.category_set_active(
                actor=request.user, category=category, active=data["is_active"]
            )
        return Response(CategorySerializer(category).data)
