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
