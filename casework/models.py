"""Everything staff do with a case. Lives in each tenant's schema.

Staff-written text that may carry details of a report (notes, the outcome summary)
is sealed with the report's key like the report itself, so crypto-shredding a
report removes it too. Dates that drive deadlines are dates in the tenant's own
time zone.
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeadlinePolicy(models.Model):
    """The tenant's deadlines, in working days (weekends and national holidays skipped).

    One row per tenant schema, seeded at onboarding from its region kind's template.
    """

    acknowledge_days = models.PositiveSmallIntegerField(default=3)
    verification_days = models.PositiveSmallIntegerField(default=5)
    answer_days = models.PositiveSmallIntegerField(default=14)
    conclude_days = models.PositiveSmallIntegerField(default=60)
    close_after_answer_days = models.PositiveSmallIntegerField(default=10)

    class Meta:
        verbose_name_plural = "deadline policies"

    def __str__(self) -> str:
        return (
            f"acknowledge {self.acknowledge_days}, verify {self.verification_days}, "
            f"answer {self.answer_days}, conclude {self.conclude_days} working days"
        )


class CaseState(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    VERIFICATION = "verification", _("Verifikasi kelengkapan")
    CLARIFICATION = "clarification", _("Menunggu klarifikasi pelapor")
    DESK_REVIEW = "desk_review", _("Telaah")
    EXAMINATION = "examination", _("Pemeriksaan")
    CONCLUDED = "concluded", _("Selesai ditangani")
    CLOSED = "closed", _("Ditutup")


OPEN_STATES = (
    CaseState.RECEIVED,
    CaseState.VERIFICATION,
    CaseState.CLARIFICATION,
    CaseState.DESK_REVIEW,
    CaseState.EXAMINATION,
)


class Outcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Terbukti")
    NOT_SUBSTANTIATED = "not_substantiated", _("Tidak terbukti")
    FORWARDED = "forwarded", _("Diteruskan ke instansi berwenang")
    CANNOT_FOLLOW_UP = "cannot_follow_up", _("Tidak dapat ditindaklanjuti")
    NOT_A_VIOLATION = "not_a_violation", _("Bukan pelanggaran")


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """The inspectorate's handling of one report."""

    report = models.OneToOneField("intake.Report", on_delete=models.CASCADE, related_name="case")
    state = models.CharField(max_length=20, choices=CaseState.choices, default=CaseState.RECEIVED)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    # What the reporter is told about the outcome, sealed with the report's key.
    sealed_outcome_summary = models.BinaryField(null=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        db_index=False,  # the case_assignee index (assignee, state) serves it
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    received_on = models.DateField(
        null=True, help_text="copied from the report: the deadline clocks start here"
    )

    # Deadlines (dates in the tenant's time zone) and when each step was done.
    acknowledge_due = models.DateField(null=True, blank=True)
    verification_due = models.DateField(null=True, blank=True)
    answer_due = models.DateField(null=True, blank=True)
    conclude_due = models.DateField(null=True, blank=True)
    next_due = models.DateField(null=True, blank=True, help_text="the earliest deadline still open")
    acknowledged_on = models.DateField(null=True, blank=True)
    verified_on = models.DateField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # While waiting on the reporter the clocks stop; the case returns to where it was.
    paused_on = models.DateField(null=True, blank=True)
    state_before_pause = models.CharField(max_length=20, blank=True)

    forwarded_to_slug = models.CharField(max_length=40, blank=True)
    forwarded_to_name = models.CharField(max_length=200, blank=True)
    forwarded_from_slug = models.CharField(max_length=40, blank=True)
    forwarded_from_name = models.CharField(max_length=200, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)
    retain_until = models.DateField(null=True, blank=True)
    shredded_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The report's random reference, copied when the case opens (it never changes): lists
    # break ties by it, not by id, which would order a day's arrivals (intake/references.py).
    reference = models.CharField(max_length=20)

    class Meta:
        indexes = [
            models.Index(fields=["state", "next_due"], name="case_queue"),
            models.Index(fields=["assignee", "state"], name="case_assignee"),
            # The queue's two orders (soonest or latest deadline first, ties by reference, no deadline last).
            models.Index(F("next_due").asc(nulls_last=True), "reference", name="case_next_due_reference"),
            models.Index(F("next_due").desc(nulls_last=True), "reference", name="case_latest_due_reference"),
            models.Index(fields=["received_on"], name="case_received"),
        ]

    def __str__(self) -> str:
        return f"case of report {self.report_id}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class CaseEvent(models.Model):
    """The case timeline shown to staff (no report content in it)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)  # a reporter's own events are dated by day

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} on case {self.case_id}"


class Assignment(models.Model):
    """Who handled a case when; reassignment ends one row and starts another."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignment_history",
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="assignments_made"
    )
    reason = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"assignment {self.pk} of case {self.case_id}"


class ExclusionQuerySet(models.QuerySet["Exclusion"]):
    def in_force(self) -> "ExclusionQuerySet":
        """Exclusions not lifted: the ones that hide a case from their person."""
        return self.filter(lifted_at__isnull=True)


class Exclusion(models.Model):
    """A conflict of interest: the person must not learn that the case exists.

    Lifting one (a supervisor or an administrator, with a reason) keeps the row as
    history; only exclusions in force hide the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exclusions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exclusions")
    reason = models.CharField(max_length=300)
    declared_by_self = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="exclusions_made"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exclusions_lifted",
    )
    lift_reason = models.CharField(max_length=300, blank=True)

    objects = ExclusionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_exclusion_in_force_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} excluded from case {self.case_id}"


class IdentityRequestStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan")
    APPROVED = "approved", _("Disetujui")
    REFUSED = "refused", _("Ditolak")


class IdentityRequest(models.Model):
    """A handler asks the identity custodian to see a confidential reporter's identity."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="identity_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_requests"
    )
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=16, choices=IdentityRequestStatus.choices, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="identity_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"identity request {self.pk} on case {self.case_id}"


class InternalNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    sealed_body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"note {self.pk} on case {self.case_id}"


class ReporterNotice(models.Model):
    """What the reporter is told at a workflow step; each tenant edits its own wording."""

    transition = models.CharField(max_length=40, unique=True)
    body_id = models.TextField()
    body_en = models.TextField()

    def __str__(self) -> str:
        return f"notice for {self.transition}"


class DeadlineReminder(models.Model):
    """A reminder or escalation that was sent, so each is sent once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.CharField(max_length=20)
    due_on = models.DateField()
    level = models.CharField(max_length=16, choices=[("reminder", "reminder"), ("escalation", "escalation")])
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "deadline", "due_on", "level"], name="one_reminder_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} for {self.deadline} of case {self.case_id}"


class RetentionPolicy(models.Model):
    """How long a closed case is kept (the archive retention schedule, JRA) before it is shredded."""

    years_after_closure = models.PositiveSmallIntegerField(default=10)

    class Meta:
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"{self.years_after_closure} years after closure"

    @classmethod
    def current(cls) -> "RetentionPolicy":
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy


class EarlyDeletionRequest(models.Model):
    """Destroying a case before its retention ends takes two different administrators."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="deletion_request")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"early deletion of case {self.case_id}"
