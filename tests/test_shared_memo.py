"""A tenant's rarely-changing rows (categories, intake limits, deadline policy, keys) are
remembered per process and dropped in every process when one of them changes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from intake.models import Category
from intake.report_input import parse_report
from tenants.errors import InvalidInput
from tests.support.other_process import eventually, in_another_process

TENANT = "sukabumi"
CODE = "uji-memo"


def accepts_category(code: str) -> bool:
    """Whether a report in this category passes the checks of a submission here."""
    try:
        parse_report({"category": code, "what": "Pungutan liar", "description": "Diminta uang."})
    except InvalidInput as refused:
        assert set(refused.errors) == {"category"}, refused.errors
        return False
    return True


def categories_from_memory() -> bool:
    with CaptureQueriesContext(connection) as queries:
        accepts_category(CODE)
    return not any("intake_category" in query["sql"] for query in queries.captured_queries)


def add_category(slug: str, code: str) -> None:
    """(In another process.) An administrator adds a category and commits."""
    with schema_context(slug):
        Category.objects.create(code=code, name_id="Uji memo", name_en="Memo test", position=999)


def deactivate_category(slug: str, code: str) -> None:
    """(In another process.) An administrator deactivates a category and commits."""
    with schema_context(slug):
        category = Category.objects.get(code=code)
        category.is_active = False
        category.save(update_fields=["is_active"])


def test_a_category_changed_in_another_process_is_refused_here_at_once(django_db_setup, django_db_blocker):
    """This process remembers the tenant's categories; another process adds one, then
    deactivates it, each committed. Only Redis tells this process, and submissions here
    must follow both changes."""
    with django_db_blocker.unblock(), schema_context(TENANT):
        accepts_category("pungli")  # the tenant's categories are remembered here
        try:
            in_another_process(add_category, TENANT, CODE)
            assert eventually(lambda: accepts_category(CODE)), "the new category never reached this process"
            assert eventually(categories_from_memory), "the categories never stayed remembered"

            in_another_process(deactivate_category, TENANT, CODE)

            assert eventually(lambda: not accepts_category(CODE)), (
                "this process still accepts the deactivated category: it never heard the announcement"
            )
        finally:
            Category.objects.filter(code=CODE).delete()
