"""The public intake API as a reporter's app uses it: a full report and how it is sent,
with the proof of work each report costs (solved here as a reporter's app would)."""

from __future__ import annotations

import base64
import json
from typing import Any

from altcha import solve_challenge_v1
from django.test import Client

from tenants.onboarding import primary_hostname

FULL_REPORT: dict[str, Any] = {
    "category": "pungli",
    "what": "Pungutan liar pada pengurusan izin usaha",
    "description": "Petugas loket meminta uang Rp 500.000 di luar tarif resmi agar izin cepat terbit.",
    "who": [{"name": "Ahmad", "position": "Kepala Seksi Perizinan", "unit": "DPMPTSP"}],
    "where": "Kantor DPMPTSP, loket 3",
    "when": "Februari 2026",
    "why": "Tarif resmi nol rupiah menurut Perda.",
    "how": "Diminta tunai, tanpa kuitansi.",
    "how_much": 500000,
    "identity_mode": "confidential",
    "identity": {"name": "Siti Rahma", "nik": "7271010101900001", "phone": "081234567890"},
    "relation": "public",
    "notify_email": "siti@example.com",
}


def api(tenant_slug: str) -> Client:
    return Client(HTTP_HOST=primary_hostname(tenant_slug))


def solved_proof(client: Client) -> str:
    """A challenge from GET /api/v1/intake/challenge, solved: what a report's ``proof`` carries."""
    challenge = client.get("/api/v1/intake/challenge").json()
    solution = solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"]
    )
    assert solution is not None
    fields = {name: challenge[name] for name in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps(fields | {"number": solution.number}).encode()).decode()


def submit(client: Client, payload: dict, **extra):
    """Send a report with a freshly solved proof of work (unless ``payload`` brings its own)."""
    sent = {"proof": solved_proof(client)} | payload
    return client.post("/api/v1/intake/reports", json.dumps(sent), content_type="application/json", **extra)


def with_proof(client: Client, payload: dict) -> dict:
    """``payload`` with a solved proof of work, for tests that post the body themselves."""
    return payload | {"proof": solved_proof(client)}


def submit_with_files(client: Client, payload: dict, files: list) -> Any:
    """Send a report as a multipart form with evidence files (its nested fields as JSON text),
    with a freshly solved proof of work."""
    fields = {
        key: json.dumps(value) if isinstance(value, dict | list) else value
        for key, value in with_proof(client, payload).items()
    }
    return client.post("/api/v1/intake/reports", {**fields, "evidence": files})
