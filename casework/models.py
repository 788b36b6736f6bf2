"""Everything staff do with a case. Lives in each tenant's schema."""

from django.db import models


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
    RECEIVED = "received", "Diterima"
    VERIFICATION = "verification", "Verifikasi kelengkapan"
    CLARIFICATION = "clarification", "Menunggu klarifikasi pelapor"
    DESK_REVIEW = "desk_review", "Telaah"
    EXAMINATION = "examination", "Pemeriksaan"
    CONCLUDED = "concluded", "Selesai ditangani"
    CLOSED = "closed", "Ditutup"


class Outcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", "Terbukti"
    NOT_SUBSTANTIATED = "not_substantiated", "Tidak terbukti"
    FORWARDED = "forwarded", "Diteruskan ke instansi berwenang"
    CANNOT_FOLLOW_UP = "cannot_follow_up", "Tidak dapat ditindaklanjuti"
    NOT_A_VIOLATION = "not_a_violation", "Bukan pelanggaran"


class Case(models.Model):
    """The inspectorate's handling of one report."""

    report = models.OneToOneField("intake.Report", on_delete=models.CASCADE, related_name="case")
    state = models.CharField(max_length=20, choices=CaseState.choices, default=CaseState.RECEIVED)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    # What the reporter is told about the outcome, sealed with the report's key.
    sealed_outcome_summary = models.BinaryField(null=True)

    def __str__(self) -> str:
        return f"case of report {self.report_id}"
