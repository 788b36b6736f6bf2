"""The public intake API as a reporter's app uses it: a full report and how it is sent."""

from __future__ import annotations

import json
from typing import Any

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


def submit(client: Client, payload: dict, **extra):
    return client.post(
        "/api/v1/intake/reports", json.dumps(payload), content_type="application/json", **extra
    )
