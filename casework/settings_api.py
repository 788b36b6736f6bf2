"""Tenant administrators manage their categories: ``/api/v1/settings/categories``."""

from django.db import transaction
from rest_framework import mixins, serializers

from intake.models import Category
from tenants.api_scope import TenantScopedViewSet, role_required
from wbs.accounts.models import StaffRole


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name_id", "name_en", "position", "is_active"]


class CategoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantScopedViewSet,
):
    serializer_class = CategorySerializer
    permission_classes = [role_required(StaffRole.ADMINISTRATOR)]
    queryset = Category.objects.all()

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        with transaction.atomic():
            serializer.save()
