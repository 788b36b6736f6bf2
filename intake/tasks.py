"""Notifications that carry no report content and no timing that points at a reporter.

Staff hear about new reports and replies in an hourly digest whose minute
depends on the tenant (so 2,000 tenants do not all send at once, and a
reporter's action is not visible in when the mail went out). A reporter who
left an email hears only that there is news, never what it is.
"""

import zlib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from intake.encryption import report_key
from intake.models import Message, MessageAuthor, Report
from intake.services import reporter_traces
from tenants.accounts.models import StaffRole, User
from tenants.audit.held_entries import forget_tenant, tenants_with_held_entries
from tenants.db import current_tenant
from tenants.models import Tenant, TenantStatus

DIGEST_SLOTS = 12  # five-minute slots in an hour
DIGEST_ROLES = (StaffRole.INTAKE_OFFICER, StaffRole.SUPERVISOR)


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


@shared_task
def send_staff_digest() -> int:
    """Tell this tenant's intake officers and supervisors how many reports and replies arrived."""
    with transaction.atomic():
        new_reports = list(
            Report.objects.select_for_update().filter(staff_notified=False).values_list("pk", flat=True)
        )
        new_replies = list(
            Message.objects.select_for_update()
            .filter(staff_notified=False, author=MessageAuthor.REPORTER)
            .values_list("pk", flat=True)
        )
        if not new_reports and not new_replies:
            return 0
        recipients = [
            user.email
            for user in User.objects.filter(is_active=True)
            if any(role in user.roles for role in DIGEST_ROLES)
        ]
        Report.objects.filter(pk__in=new_reports).update(staff_notified=True)
        Message.objects.filter(pk__in=new_replies).update(staff_notified=True)
    if recipients:
        tenant = current_tenant()
        send_mail(
            subject=f"[{tenant.short_name}] {len(new_reports)} laporan baru, {len(new_replies)} balasan pelapor",
            message=(
                f"Ada {len(new_reports)} laporan baru dan {len(new_replies)} balasan pelapor di {tenant.short_name}.\n"
                "Masuk ke halaman petugas untuk membacanya.\n\n"
                f"There are {len(new_reports)} new reports and {len(new_replies)} reporter replies. "
                "Sign in to the staff pages to read them."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
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
