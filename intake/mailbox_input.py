"""What a reporter sends to their mailbox through the API (``/api/v1/intake/session``,
``/messages``, ``/attachments``): the shapes the endpoints validate and document.

The rules and their messages are the mailbox service's (intake.services.mailbox): an
empty or over-long message, an unknown receipt, a file refused by its content are
answered there, the same for the portal's pages. These serializers refuse what is no
receipt or message at all.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from intake.proof_of_work import MAX_PROOF_LENGTH
from intake.report_input import EvidenceField
from intake.services.mailbox import MAX_MESSAGE_LENGTH
from tenants.input_fields import GivenValue, ServiceText

ENTER_RECEIPT = "Masukkan kode laporan. / Enter your receipt."


class ReceiptText(GivenValue, serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError(ENTER_RECEIPT)
        return data


class ReceiptLoginSerializer(serializers.Serializer):
    """The receipt, only ever in the body (never in a URL): it buys a mailbox session."""

    receipt = ReceiptText(help_text="the code shown once when the report was sent, e.g. ABCD-EFGH-…")
    proof = ServiceText(
        refuse_nul=False,
        max_length=MAX_PROOF_LENGTH,
        help_text="a solved challenge (GET /api/v1/intake/challenge); needed only while the portal is "
        "under a flood of wrong receipts, when a check without one is answered 400 on `proof`",
    )


class ReplySerializer(serializers.Serializer):
    body = ServiceText(refuse_nul=False, max_length=MAX_MESSAGE_LENGTH, required=True, allow_blank=False)
    evidence = EvidenceField(required=False, help_text="multipart only; more evidence with the reply")


class EvidenceUploadSerializer(serializers.Serializer):
    evidence = EvidenceField(help_text="one or more files (multipart)")
