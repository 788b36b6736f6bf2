"""Everything a reporter touches. Lives in each tenant's schema."""

from django.db import models


class Category(models.Model):
    """A kind of misconduct a reporter can choose; each tenant edits its own list."""

    code = models.SlugField(max_length=40, unique=True)
    name_id = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name_id

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_id
