"""A person excluded from a case (conflict of interest) cannot learn that it exists.

Not from the API (list, count, filters, detail, any action), not from the
service layer (visible_cases, case_for, assignment) and, once those pages
exist, not from the staff queue, the CSV export or the dashboard counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.http import Http404
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve
from django_tenants.utils import schema_context

from casework.access import case_for, visible_cases
from casework.models import Case, CaseEvent, Exclusion, InternalNote, Team
from casework.services.cases import case_assign, case_exclude
from intake.models import Message
from tenants.accounts.models import User
from tenants.audit.models import AuditEntry
from tenants.errors import InvalidInput
from tests.factories.accounts import StaffFactory
from tests.factories.casework import CaseFactory
from tests.support.clients import staff_client, token_client
from wbs.demo.seed_tenants import DEMO_PASSWORD

TENANT = "sukabumi"
SUPERVISOR = "inspektur@sukabumi.example"
OTHER_SUPERVISOR = "inspektur2@sukabumi.example"
INVESTIGATOR = "pemeriksa@sukabumi.example"
OFFICER = "verifikator@sukabumi.example"
AUDITOR = "auditor@sukabumi.example"
EXCLUDED = [INVESTIGATOR, OFFICER, OTHER_SUPERVISOR]

REPORT = {
    "category": "pungli",
    "what": "Pungutan liar di kantor kelurahan",
    "description": "Lurah meminta uang untuk surat keterangan.",
    "identity_mode": "confidential",
    "identity": {"name": "Budi", "nik": "3272010101900002"},
}


def user(email: str) -> User:
    with schema_context(TENANT):
        return User.objects.get(email=email)


def api(email: str) -> Client:
    return token_client(TENANT, email)


@dataclass
class World:
    visible: Case  # nobody is excluded
    hidden: Case  # EXCLUDED people are excluded from it
    missing: str  # a reference no case has


@pytest.fixture
def world(sukabumi) -> World:
    StaffFactory.create(
        tenant=TENANT,
        email=OTHER_SUPERVISOR,
        password=DEMO_PASSWORD,
        full_name="Inspektur Pembantu",
        roles=["supervisor"],
    )
    visible, hidden = CaseFactory.create(**REPORT), CaseFactory.create(**REPORT)
    with schema_context(TENANT):
        supervisor = User.objects.get(email=SUPERVISOR)
        # Both cases go to the investigator's team, so need-to-know would show both to every
        # handler here: only the exclusion hides one.
        team = Team.objects.create(name="Tim Pemeriksa I")
        team.members.add(User.objects.get(email=INVESTIGATOR))
        for case in (visible, hidden):
            case_assign(case=case, actor=supervisor, team_id=team.pk)
        for email in EXCLUDED:
            case_exclude(
                case=hidden,
                actor=supervisor,
                user_id=User.objects.get(email=email).pk,
                reason="saudara terlapor",
            )
    return World(visible=visible, hidden=hidden, missing="WBS-2099-ZZZZZ")


def footprint(case: Case) -> tuple:
    with schema_context(TENANT):
        fresh = Case.objects.get(pk=case.pk)
        return (
            fresh.state,
            fresh.assignee_id,
            fresh.team_id,
            Message.objects.filter(report_id=fresh.report_id).count(),
            InternalNote.objects.filter(case=fresh).count(),
            CaseEvent.objects.filter(case=fresh).count(),
            AuditEntry.objects.filter(case_id=fresh.pk).count(),
        )


def listed(client: Client, query: str = "") -> tuple[set[str], int]:
    response = client.get("/api/v1/cases?page_size=100" + query)
    assert response.status_code == 200, response.content
    body = response.json()
    return {item["reference"] for item in body["results"]}, body["count"]


# --- The API ----------------------------------------------------------------------------------


@pytest.mark.parametrize("email", EXCLUDED)
def test_not_in_the_api_list_or_its_count(world, email):
    everything, total = listed(api(SUPERVISOR))
    assert {world.visible.reference, world.hidden.reference} <= everything
    for query in ["", "&state=received", "&category=pungli", "&assignee=none", "&overdue=false"]:
        ids, count = listed(api(email), query)
        assert world.hidden.reference not in ids, query
        assert world.visible.reference in ids, query
        assert count == listed(api(SUPERVISOR), query)[1] - 1, query
    assert listed(api(email))[1] == total - 1


@pytest.mark.parametrize("email", EXCLUDED)
def test_detail_is_the_same_404_as_a_case_that_does_not_exist(world, email):
    client = api(email)
    excluded = client.get(f"/api/v1/cases/{world.hidden.reference}")
    missing = client.get(f"/api/v1/cases/{world.missing}")
    assert excluded.status_code == missing.status_code == 404
    assert excluded.content == missing.content
    assert excluded["Content-Type"] == missing["Content-Type"]
    assert client.get(f"/api/v1/cases/{world.visible.reference}").status_code == 200
    assert api(SUPERVISOR).get(f"/api/v1/cases/{world.hidden.reference}").status_code == 200


ACTIONS = [
    ("post", "/transition", {"transition": "start_verification"}),
    ("get", "/assign", None),
    ("post", "/assign", {"assignee": "self", "reason": "saya saja"}),
    ("get", "/messages", None),
    ("post", "/messages", {"body": "Halo pelapor"}),
    ("get", "/notes", None),
    ("post", "/notes", {"body": "catatan"}),
]


@pytest.mark.parametrize("email", EXCLUDED)
@pytest.mark.parametrize(("method", "suffix", "body"), ACTIONS)
def test_every_action_on_the_case_is_the_same_404(world, email, method, suffix, body):
    client = api(email)
    before = footprint(world.hidden)

    def call(reference: str):
        url = f"/api/v1/cases/{reference}{suffix}"
        if method == "get":
            return client.get(url)
        data = {k: (user(email).pk if v == "self" else v) for k, v in body.items()}
        return client.post(url, data, content_type="application/json")

    excluded, missing = call(world.hidden.reference), call(world.missing)
    assert excluded.status_code == missing.status_code == 404
    assert excluded.content == missing.content
    assert footprint(world.hidden) == before


@pytest.mark.parametrize("email", EXCLUDED)
def test_not_in_visible_cases_and_case_for_says_not_found(world, email):
    with schema_context(TENANT):
        person = User.objects.get(email=email)
        pks = set(visible_cases(person).values_list("pk", flat=True))
        assert world.hidden.pk not in pks and world.visible.pk in pks
        assert visible_cases(person).filter(pk=world.hidden.pk).count() == 0
        with pytest.raises(Http404) as excluded:
            case_for(person, world.hidden.reference)
        with pytest.raises(Http404) as missing:
            case_for(person, world.missing)
        assert str(excluded.value) == str(missing.value)
        assert case_for(person, world.visible.reference).pk == world.visible.pk


@pytest.mark.parametrize("email", EXCLUDED)
def test_an_excluded_person_cannot_be_given_the_case(world, email):
    with schema_context(TENANT):
        supervisor = User.objects.get(email=SUPERVISOR)
        person = User.objects.get(email=email)
        with pytest.raises(InvalidInput) as refused:
            case_assign(case=world.hidden, actor=supervisor, assignee_id=person.pk, reason="coba")
        assert "assignee" in refused.value.errors
        assert Case.objects.get(pk=world.hidden.pk).assignee_id is None
    client = api(SUPERVISOR)
    offered_hidden = {
        h["id"] for h in client.get(f"/api/v1/cases/{world.hidden.reference}/assign").json()["handlers"]
    }
    offered_visible = {
        h["id"] for h in client.get(f"/api/v1/cases/{world.visible.reference}/assign").json()["handlers"]
    }
    assert person.pk not in offered_hidden
    assert person.pk in offered_visible
    response = client.post(
        f"/api/v1/cases/{world.hidden.reference}/assign",
        {"assignee": person.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "assignee" in response.json()["errors"]
    assert footprint(world.hidden)[1] is None


def test_excluding_the_current_handler_takes_the_case_away(world):
    investigator = user(INVESTIGATOR)
    with schema_context(TENANT):
        supervisor = User.objects.get(email=SUPERVISOR)
        case_assign(case=world.visible, actor=supervisor, assignee_id=investigator.pk)
    assert listed(api(INVESTIGATOR), "&assignee=me")[0] == {world.visible.reference}
    with schema_context(TENANT):
        case_exclude(case=world.visible, actor=supervisor, user_id=investigator.pk, reason="ipar terlapor")
        assert Case.objects.get(pk=world.visible.pk).assignee_id is None
    assert listed(api(INVESTIGATOR), "&assignee=me") == (set(), 0)
    assert api(INVESTIGATOR).get(f"/api/v1/cases/{world.visible.reference}").status_code == 404


def test_declaring_ones_own_conflict_hides_the_case_too(world):
    investigator = user(INVESTIGATOR)
    assert world.visible.reference in listed(api(INVESTIGATOR))[0]
    with schema_context(TENANT):
        exclusion = case_exclude(
            case=world.visible, actor=investigator, user_id=investigator.pk, reason="terlapor teman dekat"
        )
        assert exclusion.declared_by_self
    assert world.visible.reference not in listed(api(INVESTIGATOR))[0]


# --- Staff pages, checked once they exist ---------------------------------------------------------


def exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def staff_routes(*words: str) -> list[str]:
    """Parameterless routes under /staff/ whose path or name has one of the words."""
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            elif route.startswith("staff/") and "<" not in route and "(" not in route:
                haystack = f"{route} {getattr(pattern, 'name', '') or ''}".lower()
                if any(word in haystack for word in words):
                    found.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def content_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("email", [INVESTIGATOR, OTHER_SUPERVISOR])
def test_staff_queue_page(world, email):
    if not exists("/staff/kasus/"):
        return  # the queue page is not there yet; the API above covers the same choke point
    hidden_ref, visible_ref = world.hidden.report.reference, world.visible.report.reference
    assert hidden_ref in content_of(staff_client(world_tenant(), SUPERVISOR).get("/staff/kasus/"))
    browser = staff_client(world_tenant(), email)
    queue = browser.get("/staff/kasus/")
    assert queue.status_code == 200
    assert visible_ref in content_of(queue)
    assert hidden_ref not in content_of(queue)
    searched = content_of(browser.get("/staff/kasus/", {"q": hidden_ref}))
    # The search box shows what was typed; the case itself is not listed.
    assert f"/staff/kasus/{hidden_ref}/" not in searched and "Tidak ada kasus yang cocok" in searched
    if exists(f"/staff/kasus/{world.hidden.reference}/"):
        excluded = browser.get(f"/staff/kasus/{world.hidden.reference}/")
        missing = browser.get(f"/staff/kasus/{world.missing}/")
        assert excluded.status_code == missing.status_code == 404


def world_tenant():
    from tenants.models import Tenant

    return Tenant.objects.get(schema_name=TENANT)


def test_csv_export(world):
    # The case list exports (the audit trail's export, for auditors and administrators, has
    # its own exclusion test in test_audit_trail_page).
    exports = [path for path in staff_routes("csv", "ekspor", "export", "unduh") if "/audit/" not in path]
    hidden_ref, visible_ref = world.hidden.report.reference, world.visible.report.reference
    for path in exports:
        full = staff_client(world_tenant(), SUPERVISOR).get(path)
        assert full.status_code == 200, path
        assert hidden_ref in content_of(full) and visible_ref in content_of(full), path
        # An excluded supervisor may export the list, and the case is not in it.
        excluded = staff_client(world_tenant(), OTHER_SUPERVISOR).get(path)
        assert excluded.status_code == 200, path
        assert hidden_ref not in content_of(excluded), path
        assert visible_ref in content_of(excluded), path
    if exports:
        # Auditors export the list too (without case content); an excluded auditor does not get the case.
        with schema_context(TENANT):
            Exclusion.objects.create(
                case=world.hidden, user=User.objects.get(email=AUDITOR), reason="kerabat terlapor"
            )
        for path in exports:
            audited = staff_client(world_tenant(), AUDITOR).get(path)
            assert audited.status_code == 200, path
            assert hidden_ref not in content_of(audited), path
            assert visible_ref in content_of(audited), path


def test_dashboard_counts(world):
    pages = ["/staff/"] + staff_routes(
        "dasbor", "dashboard", "statistik", "ringkasan", "beranda", "terlambat", "beban"
    )
    for email in [INVESTIGATOR, OTHER_SUPERVISOR]:
        browser = staff_client(world_tenant(), email)
        for path in pages:  # once first, so one-off notices after signing in are gone
            browser.get(path)
        before = {path: visible_text(content_of(browser.get(path))) for path in pages if exists(path)}
        # A new case this person is excluded from changes nothing they can see.
        fresh = CaseFactory.create(**REPORT)
        with schema_context(TENANT):
            case_exclude(
                case=fresh,
                actor=User.objects.get(email=SUPERVISOR),
                user_id=User.objects.get(email=email).pk,
                reason="kerabat",
            )
        after = {path: visible_text(content_of(browser.get(path))) for path in before}
        assert after == before, email
