"""Notifications that carry no report content and no timing that points at a reporter.

Staff hear about new reports and replies (on the cases each may see) in an hourly digest whose minute
depends on the tenant (so 2,000 tenants do not all send at once, and a
reporter's action is not visible in when the mail went out). A reporter who
left an email hears only that there is news, never what it is.
"""

import zlib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from intake.case_handling import case_handling
from intake.encryption import report_key
from intake.models import Message, MessageAuthor, Report
from intake.services import reporter_traces
from tenants.accounts.models import StaffRole, User
from tenants.audit.held_entries import forget_tenant, tenants_with_held_entries
from tenants.db import current_tenant
from tenants.models import Tenant, TenantStatus

DIGEST_SLOTS = 12  # five-minute slots in an hour
DIGEST_ROLES = (StaffRole.INTAKE_OFFICER, StaffRole.INVESTIGATOR, StaffRole.SUPERVISOR)


def digest_slot(schema_name: str) -> int:
    return zlib.crc32(schema_name.encode()) % DIGEST_SLOTS


@shared_task
def send_staff_digests_due() -> int:
    """Runs every five minutes (beat); queues the digest of tenants whose slot it is."""
    slot = timezone.now().minute // 5
    queued = 0
    for schema_name in Tenant.objects.filter(
        status__in=[TenantStatus.TRIAL, TenantStatus.ACTIVE]
    ).values_list("schema_name", flat=True):
        if digest_slot(schema_name) == slot:
            with schema_context(schema_name):
                send_staff_digest.delay()
            queued += 1
    return queued


def _digest_mail(short_name: str, reports: int, replies: int) -> tuple[str, str]:
    subject = f"[{short_name}] {reports} laporan baru, {replies} balasan pelapor"
    body = (
        f"Ada {reports} laporan baru dan {replies} balasan pelapor di {short_name}.\n"
        "Masuk ke halaman petugas untuk membacanya.\n\n"
        f"There are {reports} new reports and {replies} reporter replies. "
        "Sign in to the staff pages to read them."
    )
    return subject, body


@shared_task
def send_staff_digest() -> int:
    """Tell this tenant's handlers how many reports and replies arrived on the cases each of
    them may see (need-to-know: nobody hears of a case hidden from them)."""
    with transaction.atomic():
        new_reports = list(
            Report.objects.select_for_update().filter(staff_notified=False).values_list("pk", flat=True)
        )
        new_replies = list(
            Message.objects.select_for_update()
            .filter(staff_notified=False, author=MessageAuthor.REPORTER)
            .values_list("pk", "report_id")
        )
        if not new_reports and not new_replies:
            return 0
        readers = [
            user
            for user in User.objects.filter(is_active=True).exclude(email="").order_by("pk")
            if any(role in user.roles for role in DIGEST_ROLES)
        ]
        Report.objects.filter(pk__in=new_reports).update(staff_notified=True)
        Message.objects.filter(pk__in=[pk for pk, _report in new_replies]).update(staff_notified=True)
    handling = case_handling()
    tenant = current_tenant()
    mails = []
    for reader in readers:
        visible = handling.reports_visible_to(reader, set(new_reports) | {r for _pk, r in new_replies})
        reports = sum(1 for pk in new_reports if pk in visible)
        replies = sum(1 for _pk, report_id in new_replies if report_id in visible)
        if reports or replies:
            subject, body = _digest_mail(tenant.short_name, reports, replies)
            mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, [reader.email]))
    if mails:
        send_mass_mail(mails)
    return len(new_reports) + len(new_replies)


@shared_task
def settle_reporter_traces_due() -> int:
    """Runs every 15 minutes (beat): queues the batch of each tenant holding entries of a
    reporter's actions (a Redis set names them: no loop over every tenant)."""
    held = tenants_with_held_entries()
    live = set(Tenant.objects.filter(schema_name__in=held).values_list("schema_name", flat=True))
    for schema_name in held:
        if schema_name not in live:  # the tenant is gone
            forget_tenant(schema_name)
            continue
        with schema_context(schema_name):
            settle_reporter_traces.delay()
    return len(live)


@shared_task
def settle_reporter_traces() -> int:
    """This tenant's finished days: reporters' files rewritten, held entries appended."""
    return reporter_traces.settle_reporter_traces()


@shared_task
def notify_reporter_of_news(report_id: int) -> bool:
    report = Report.objects.filter(pk=report_id).first()
    if report is None or report.sealed_notify_email is None or report.wrapped_key is None:
        return False
    address = report_key(report).open("notify-email", bytes(report.sealed_notify_email)).decode()
    tenant = current_tenant()
    send_mail(
        subject=f"Ada kabar baru dari {tenant.short_name} / News from {tenant.short_name}",
        message=(
            "Ada kabar baru tentang laporan Anda. Masuk ke portal dengan kode laporan Anda untuk membacanya.\n\n"
            "There is news about your report. Sign in to the portal with your receipt to read it."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[address],
    )
    return True
