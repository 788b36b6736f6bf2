"""Reads of identity custody: a handler's live, approved access to a reporter's identity."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from casework.models import Case, IdentityRequest, IdentityRequestStatus


def identity_access_until(case: Case, user: Any) -> IdentityRequest | None:
    return (
        IdentityRequest.objects.filter(
            case=case, requested_by=user, status=IdentityRequestStatus.APPROVED, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )
