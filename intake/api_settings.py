"""Tenant administrators manage their categories: ``/api/v1/settings/categories``.

The serializer is the documented and enforced contract of the input; the writes go
through the same services as the settings page (intake.services.categories), so
the same bad input gets the same message from both and every change is audited.
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


class CategorySerializer(serializers.ModelSerializer):
    code = serializers.RegexField(
        categories.CODE_PATTERN.pattern,
        max_length=40,
        error_messages={"invalid": categories.CODE_MESSAGE},
        help_text="2-40 lowercase letters, digits, - or _; never changes once created",
    )
    name_id = serializers.CharField(max_length=categories.NAME_MAX)
    name_en = serializers.CharField(max_length=categories.NAME_MAX)
    position = serializers.IntegerField(
        min_value=0, max_value=categories.POSITION_MAX, required=False, help_text="omitted: last"
    )
    is_active = serializers.BooleanField(required=False, help_text="false: no longer offered to reporters")

    class Meta:
        model = Category
        fields = ["id", "code", "name_id", "name_en", "position", "is_active"]
        # The service checks uniqueness, with the settings page's message.
        extra_kwargs: dict[str, dict[str, Any]] = {"code": {"validators": []}}


class CategoryUpdateSerializer(CategorySerializer):
    class Meta(CategorySerializer.Meta):
        read_only_fields = ["code"]


class CategoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    TenantScopedViewSet,
):
    serializer_class = CategorySerializer
    permission_classes = [permission_required(MANAGE_SETTINGS)]
    queryset = Category.objects.all()

    @extend_schema(request=CategorySerializer, responses={201: CategorySerializer})
    def create(self, request: Request) -> Response:
        given = CategorySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        category = categories.category_create(
            actor=request.user,
            code=data["code"],
            name_id=data["name_id"],
            name_en=data["name_en"],
            position=data.get("position"),
        )
        if data.get("is_active") is False:
            category = categories.category_set_active(actor=request.user, category=category, active=False)
        return Response(CategorySerializer(category).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CategoryUpdateSerializer, responses=CategorySerializer)
    def update(self, request: Request, pk: Any = None) -> Response:
        return self._update(request, partial=False)

    @extend_schema(request=CategoryUpdateSerializer, responses=CategorySerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        category = self.get_object()
        given = CategoryUpdateSerializer(category, data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if {"name_id", "name_en", "position"} & set(data):
            category = categories.category_update(
                actor=request.user,
                category=category,
                name_id=data.get("name_id", category.name_id),
                name_en=data.get("name_en", category.name_en),
                position=data.get("position", category.position),
            )
        if "is_active" in data and data["is_active"] != category.is_active:
            category = categories.category_set_active(
                actor=request.user, category=category, active=data["is_active"]
            )
        return Response(CategorySerializer(category).data)
