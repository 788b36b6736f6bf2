"""The audit trail covers sign-ins, messages to reporters and exports; auditors can
export the case list (metadata only) without ever seeing a case."""

import csv
import io

from django_tenants.utils import schema_context

from casework.models import Case
from tenants.audit.models import AuditEntry
from tests.support.clients import staff_client
from tests.support.intake_api import FULL_REPORT, api, submit


def actions() -> list[str]:
    with schema_context("sukabumi"):
        return list(AuditEntry.objects.values_list("action", flat=True))


def test_sign_ins_messages_and_exports_are_audited(sukabumi):
    submit(api("sukabumi"), FULL_REPORT)
    officer = staff_client(sukabumi, "verifikator@sukabumi.example")
    assert actions().count("login") == 1

    with schema_context("sukabumi"):
        case = Case.objects.get()
    sent = officer.post(f"/staff/kasus/{case.reference}/pesan/", {"body": "Mohon lengkapi tanggal kejadian."})
    assert sent.status_code in {200, 302}
    assert "message_to_reporter" in actions()

    auditor = staff_client(sukabumi, "auditor@sukabumi.example")
    assert auditor.get(f"/staff/kasus/{case.reference}/").status_code in {
        403,
        404,
    }  # no case content for auditors
    export = auditor.get("/staff/kasus/ekspor.csv?state=all")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert len(rows) == 2  # header + the one case
    assert FULL_REPORT["description"] not in export.content.decode()
    assert "export_csv" in actions()
