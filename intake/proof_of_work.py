"""What an anonymous sender pays before the portal stores a report (or, while the tenant
is under a flood of wrong receipts, checks a receipt): no counter shared by every
reporter of a tenant, and nothing that knows who the sender is.

Two kinds of payment, both single-use and bound to the tenant:

- A solved challenge (ALTCHA's proof of work, through the ``altcha`` library): the server
  hands out a signed challenge (``GET /api/v1/intake/challenge``, or embedded in the
  portal's forms); the sender searches for the number whose SHA-256 with the challenge's
  salt is the challenge, about ``max_number / 2`` hashes (the portal's script
  ``intake/static/intake/proof-of-work.js`` does it with WebCrypto in about a second on a
  phone); checking it here is one SHA-256 and one HMAC.
- A form token, for the pages without JavaScript: signed when the form is served and
  valid only ``WBS_FORM_TOKEN_WAIT_SECONDS`` after that, which the page says in both
  languages. It costs the sender time rather than work: one sender with one form is
  slowed, many forms in parallel are not, which is why the API takes solved challenges only.

A spent payment is remembered in the tenant's cache (Redis) until it would have expired
anyway, so it buys one report. Refusals are ``InvalidInput`` on the field ``proof``
(400, nothing stored).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from altcha import ChallengeOptionsV1, create_challenge_v1, verify_solution_v1
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from tenants.db import current_schema_name
from tenants.errors import InvalidInput

# A reporter may take long over a report: the challenge embedded in the form must outlive that.
CHALLENGE_LIFETIME_SECONDS = 3 * 60 * 60
MAX_PROOF_LENGTH = 2000

PROOF_MISSING = (
    "Bukti kerja (proof of work) belum ada: ambil tantangan dari GET /api/v1/intake/challenge dan "
    "selesaikan. / Proof of work missing: solve a challenge from GET /api/v1/intake/challenge."
)
PROOF_WRONG = "Bukti kerja tidak sah. / The proof of work is not valid."
PROOF_EXPIRED = "Bukti kerja sudah kedaluwarsa; kirim ulang. / The proof of work expired; send again."
PROOF_SPENT = "Bukti kerja ini sudah dipakai; kirim ulang. / This proof of work was already used; send again."
FORM_TOO_EARLY = (
    "Formulir dikirim terlalu cepat; tunggu {seconds} detik lagi lalu kirim ulang. "
    "/ The form was sent too soon; wait {seconds} more seconds and send it again."
)


def _refused(message: str) -> InvalidInput:
    return InvalidInput({"proof": message})


def _tenant_key(purpose: str) -> str:
    """A key of this tenant only: a payment made on one portal is worth nothing on another."""
    return salted_hmac(f"wbs.intake.proof_of_work.{purpose}", current_schema_name()).hexdigest()


def _spend_once(name: str, expires_at: float) -> None:
    """Remember ``name`` as spent until it expires; refuse it if it already was."""
    lifetime = max(1, int(expires_at - time.time()) + 1)
    if not cache.add(f"proof-spent:{name}", 1, lifetime):
        raise _refused(PROOF_SPENT)


# --- Solved challenges ------------------------------------------------------------------


def challenge_new() -> dict[str, Any]:
    """A signed challenge (ALTCHA's JSON shape: algorithm, challenge, maxNumber, salt, signature)."""
    expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=CHALLENGE_LIFETIME_SECONDS)
    challenge = create_challenge_v1(
        ChallengeOptionsV1(
            hmac_key=_tenant_key("challenge"),
            max_number=settings.WBS_PROOF_OF_WORK_MAX_NUMBER,
            expires=expires,
        )
    )
    return dict(challenge.to_dict())


def _solution_fields(solution: str) -> dict[str, Any]:
    """The base64 JSON the solver sends, decoded; refused if it is not that."""
    if len(solution) > MAX_PROOF_LENGTH:
        raise _refused(PROOF_WRONG)
    try:
        fields = json.loads(base64.b64decode(solution, validate=True))
    except (binascii.Error, ValueError):
        raise _refused(PROOF_WRONG) from None
    if not isinstance(fields, dict) or not all(
        isinstance(fields.get(name), str) for name in ("algorithm", "challenge", "salt", "signature")
    ):
        raise _refused(PROOF_WRONG)
    if not isinstance(fields.get("number"), int) or isinstance(fields.get("number"), bool):
        raise _refused(PROOF_WRONG)
    return fields


def _salt_expiry(salt: str) -> float | None:
    """The expiry the challenge's salt carries (signed along with it)."""
    _, _, query = salt.partition("?")
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if name == "expires" and value.isascii() and value.isdigit():
            return float(value)
    return None


def solution_spend(solution: str) -> None:
    """Accept a solved challenge once, or raise InvalidInput on ``proof``."""
    fields = _solution_fields(solution)
    expires_at = _salt_expiry(fields["salt"])
    if expires_at is None:  # every challenge of ours expires
        raise _refused(PROOF_WRONG)
    verified, problem = verify_solution_v1(solution, _tenant_key("challenge"), check_expires=True)
    if not verified:
        raise _refused(PROOF_EXPIRED if problem and "expired" in problem else PROOF_WRONG)
    _spend_once(f"challenge:{fields['challenge']}", expires_at)


# --- Form tokens (pages without JavaScript) --------------------------------------------


def form_token_new() -> str:
    """A token for one form, valid from WBS_FORM_TOKEN_WAIT_SECONDS after now."""
    return signing.dumps(
        {"nonce": secrets.token_urlsafe(12), "issued": int(time.time())}, salt=_tenant_key("form-token")
    )


def form_token_spend(token: str) -> None:
    if len(token) > MAX_PROOF_LENGTH:
        raise _refused(PROOF_WRONG)
    try:
        fields = signing.loads(token, salt=_tenant_key("form-token"), max_age=CHALLENGE_LIFETIME_SECONDS)
    except signing.SignatureExpired:
        raise _refused(PROOF_EXPIRED) from None
    except signing.BadSignature:
        raise _refused(PROOF_WRONG) from None
    waited = time.time() - fields["issued"]
    wait = settings.WBS_FORM_TOKEN_WAIT_SECONDS
    if waited < wait:
        raise _refused(FORM_TOO_EARLY.format(seconds=max(1, round(wait - waited))))
    _spend_once(f"form:{fields['nonce']}", fields["issued"] + CHALLENGE_LIFETIME_SECONDS)


@dataclass(frozen=True)
class SenderProof:
    """What a sender offered: a solved challenge, or (pages only) a form token. A solved
    challenge, when given, is what counts."""

    solution: str = ""
    form_token: str = ""

    def spend(self) -> None:
        if self.solution:
            solution_spend(self.solution)
        elif self.form_token:
            form_token_spend(self.form_token)
        else:
            raise _refused(PROOF_MISSING)


def proof_spend(proof: SenderProof | None) -> None:
    """Spend what the sender offered; InvalidInput when nothing was offered."""
    (proof or SenderProof()).spend()


def form_proof(post: Any) -> SenderProof:
    """The proof a portal form carries: the script's solution and the page's form token."""
    return SenderProof(solution=post.get("proof", ""), form_token=post.get("form_token", ""))


def form_challenge() -> dict[str, Any]:
    """What a portal form embeds: a challenge for its script and a form token for no-JS."""
    return {
        "challenge_json": json.dumps(challenge_new()),
        "form_token": form_token_new(),
        "form_token_wait": settings.WBS_FORM_TOKEN_WAIT_SECONDS,
    }
