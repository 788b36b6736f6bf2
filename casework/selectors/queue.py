"""The case queue: one selector with one set of filter rules for the staff pages (the
queue and the overdue list), the CSV export and the API (``GET /api/v1/cases``).

The filters are read from the query string by ``CaseQueueQuery``, which also documents
them as the API's parameters:

- ``state``: ``open`` (the default: every case still being handled), ``all``, or one
  or more states, comma-separated (``received,verification``);
- ``category``: a category's code (deactivated categories included);
- ``assignee``: ``me``, ``unassigned`` or a staff member's id (``none``, the API's
  first word for ``unassigned``, still works: saved API URLs keep answering);
- ``overdue``: ``true`` (open cases whose next deadline has passed) or ``false``
  (every other case); ``1``/``0``, ``yes``/``no``, ``ya``/``tidak``, ``on``/``off`` too;
- ``due_from``, ``due_to``: the next deadline's range, YYYY-MM-DD, both days included;
- ``sort``: ``next_due`` (soonest deadline first, none last: the default) or ``-next_due``;
- ``q``: a search. A whole reference (``WBS-2026-7KQ4M``, any case) finds that case
  alone. Other words are looked for in the report's subject (its "what"), which is
  sealed with the report key, so the database cannot search it: the subjects of the
  first ``SUBJECT_SCAN_LIMIT`` cases the other filters leave (in the queue's order) are
  decrypted and kept if they contain every word, case-insensitively. One query, and
  two AES-GCM opens per scanned row (about 10 ms for 500 rows); past that bound the
  page says so and asks for a narrower filter.

Anything else in a filter, a category or state that does not exist included, is a 400
with the same message on the page, in the CSV export and from the API. Other
parameters (``page``, the API's ``page_size``) are left to the paginators.

Every list of cases starts from ``casework.access`` (``listable_cases``, which is
``visible_cases`` for everyone who handles cases), so a case someone is excluded from
is absent from every page, count and export. Queries here are a fixed number per page,
whatever the number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.dateparse import parse_date
from rest_framework import serializers

from casework.access import HANDLERS, could_know, listable_cases
from casework.models import OPEN_STATES, Case, CaseState, Exclusion
from casework.staff_input import chosen_id
from intake.encryption import report_keys
from intake.models import Category, Report
from intake.references import is_reference
from intake.report_input import UNKNOWN_CATEGORY
from tenants.accounts.models import User
from tenants.clock import tenant_today
from tenants.input_fields import GivenValue

PAGE_SIZE = 50
# Heavy or secret columns a list never needs.
_REPORT_DEFERRED = (
    "report__sealed_narrative",
    "report__sealed_identity",
    "report__sealed_notify_email",
    "report__wrapped_key",
)
# The narrative and the report key, needed for a row's subject.
_REPORT_DEFERRED_FOR_SUBJECT = ("report__sealed_identity", "report__sealed_notify_email")
STATES = tuple(CaseState.values)
SORTS = ("next_due", "-next_due")
TRUE_WORDS = frozenset({"true", "1", "yes", "ya", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "tidak", "off"})

UNKNOWN_STATE = (
    f"Status tidak dikenal; gunakan open, all atau: {', '.join(STATES)}. "
    f"/ Unknown state; use open, all or: {', '.join(STATES)}."
)
UNKNOWN_ASSIGNEE = "Gunakan id petugas, 'me' atau 'unassigned'. / Use a staff id, 'me' or 'unassigned'."
TRUE_OR_FALSE = "Gunakan true atau false. / Use true or false."
INVALID_DATE = "Tanggal tidak valid (YYYY-MM-DD). / Invalid date."
SEARCH_TOO_LONG = (
    "Pencarian terlalu panjang (maks. 100 karakter). / Search too long (100 characters at most)."
)
SEARCH_LENGTH = 100
SUBJECT_SCAN_LIMIT = 500
SUBJECT_LENGTH = 120  # what a row shows of the subject
UNKNOWN_SORT = "Urutkan menurut next_due atau -next_due. / Sort by next_due or -next_due."


# --- The filters ------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    """What a queue, its CSV or the API's list is narrowed to (from ``CaseQueueQuery``)."""

    state: str = "open"  # "open", "all" or states joined by commas
    category: str = ""
    category_id: int | None = None  # the category's row, found when the query was read
    assignee: str = ""  # "", "me", "unassigned" or a staff id
    overdue: bool | None = None
    due_from: date | None = None
    due_to: date | None = None
    sort: str = "next_due"
    q: str = ""

    @property
    def searches_subject(self) -> bool:
        return bool(self.q) and not is_reference(self.q.upper())

    def as_query(self) -> dict[str, str]:
        """The filters as query-string values (for pagination links, the CSV link, the audit)."""
        values = {
            "state": self.state,
            "category": self.category,
            "assignee": self.assignee,
            "overdue": "" if self.overdue is None else str(self.overdue).lower(),
            "due_from": self.due_from.isoformat() if self.due_from else "",
            "due_to": self.due_to.isoformat() if self.due_to else "",
            "sort": self.sort,
            "q": self.q,
        }
        return {key: value for key, value in values.items() if value}


class StateFilter(GivenValue, serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        if data is None or data == "":
            return "open"
        if not isinstance(data, str):
            raise serializers.ValidationError(UNKNOWN_STATE)
        if data in {"open", "all"}:
            return data
        wanted = [state.strip() for state in data.split(",") if state.strip()]
        if not wanted or any(state not in STATES for state in wanted):
            raise serializers.ValidationError(UNKNOWN_STATE)
        return ",".join(wanted)


class CategoryFilter(GivenValue, serializers.CharField):
    """A category's code (found in ``CaseQueueQuery.validate``, one query)."""

    def to_internal_value(self, data: Any) -> str:
        if data is None:
            return ""
        if not isinstance(data, str) or len(data) > 40 or "\x00" in data:
            raise serializers.ValidationError(UNKNOWN_CATEGORY)
        return data.strip()


class AssigneeFilter(GivenValue, serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        if data is None:
            return ""
        if data in ("", "me", "unassigned"):
            return str(data)
        if data == "none":
            return "unassigned"
        try:
            number = chosen_id(data)
        except serializers.ValidationError:
            number = None
        if number is None:
            raise serializers.ValidationError(UNKNOWN_ASSIGNEE)
        return str(number)


class OverdueFilter(GivenValue, serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool | None:
        if data is None or data == "":
            return None
        word = str(data).lower() if isinstance(data, str | bool) else ""
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise serializers.ValidationError(TRUE_OR_FALSE)


class DueDateFilter(GivenValue, serializers.DateField):
    def to_internal_value(self, data: Any) -> date | None:
        if data is None or data == "":
            return None
        text = data.strip() if isinstance(data, str) else ""
        try:  # ASCII digits only: parse_date's pattern would read other scripts' digits
            parsed = parse_date(text) if text.isascii() else None
        except ValueError:  # well formed, but no such day
            parsed = None
        if parsed is None:
            raise serializers.ValidationError(INVALID_DATE)
        return parsed


class SortChoice(GivenValue, serializers.ChoiceField):
    def to_internal_value(self, data: Any) -> str:
        if data is None or data == "":
            return "next_due"
        if isinstance(data, str) and data in SORTS:
            return data
        raise serializers.ValidationError(UNKNOWN_SORT)


class SearchFilter(GivenValue, serializers.CharField):
    """A reference or words of the subject (see ``q`` in the module's notes)."""

    def to_internal_value(self, data: Any) -> str:
        if data is None:
            return ""
        if not isinstance(data, str) or "\x00" in data:
            raise serializers.ValidationError(SEARCH_TOO_LONG)
        words = " ".join(data.split())
        if len(words) > SEARCH_LENGTH:
            raise serializers.ValidationError(SEARCH_TOO_LONG)
        return words


class CaseQueueQuery(serializers.Serializer):
    """The queue's query parameters; ``validated_data`` is a ``QueueFilters``."""

    state = StateFilter(
        required=False,
        allow_blank=True,
        help_text=f"open (default), all, or one or more of {', '.join(STATES)}, comma-separated",
    )
    category = CategoryFilter(required=False, allow_blank=True, help_text="a category's code")
    assignee = AssigneeFilter(
        required=False, allow_blank=True, help_text="me, unassigned or a staff member's id"
    )
    overdue = OverdueFilter(
        required=False, help_text="true: open cases whose next deadline has passed; false: every other case"
    )
    due_from = DueDateFilter(required=False, help_text="next deadline on or after this day (YYYY-MM-DD)")
    due_to = DueDateFilter(required=False, help_text="next deadline on or before this day (YYYY-MM-DD)")
    sort = SortChoice(
        choices=SORTS,
        required=False,
        help_text="next_due (soonest deadline first, the default) or -next_due",
    )
    q = SearchFilter(
        required=False,
        allow_blank=True,
        help_text=(
            "a whole reference (exact, any case) or words of the subject; subject words are "
            f"looked for in the first {SUBJECT_SCAN_LIMIT} cases the other filters leave"
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> QueueFilters:
        category_id = None
        if attrs["category"]:
            category_id = Category.objects.filter(code=attrs["category"]).values_list("id", flat=True).first()
            if category_id is None:
                raise serializers.ValidationError({"category": UNKNOWN_CATEGORY})
        return QueueFilters(**attrs, category_id=category_id)


# --- The queue ------------------------------------------------------------------


def filtered_cases(user: Any, filters: QueueFilters, *, today: date | None = None) -> QuerySet[Case]:
    """The listable cases matching the filters, in the filters' order (then by reference)."""
    today = today or tenant_today()
    cases = listable_cases(user)
    if filters.state == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    elif filters.state != "all":
        cases = cases.filter(state__in=filters.state.split(","))
    if filters.category_id is not None:
        # By id, found when the query was read: no join to the category table.
        cases = cases.filter(report__category_id=filters.category_id)
    if filters.overdue is True:
        cases = cases.filter(next_due__lt=today, state__in=OPEN_STATES)
    elif filters.overdue is False:
        cases = cases.filter(Q(next_due__isnull=True) | Q(next_due__gte=today) | ~Q(state__in=OPEN_STATES))
    if filters.due_from:
        cases = cases.filter(next_due__gte=filters.due_from)
    if filters.due_to:
        cases = cases.filter(next_due__lte=filters.due_to)
    if filters.assignee == "me":
        cases = cases.filter(assignee_id=getattr(user, "pk", None))
    elif filters.assignee == "unassigned":
        cases = cases.filter(assignee__isnull=True)
    elif filters.assignee:
        cases = cases.filter(assignee_id=int(filters.assignee))
    due = (
        F("next_due").desc(nulls_last=True)
        if filters.sort == "-next_due"
        else F("next_due").asc(nulls_last=True)
    )
    # Ties by the random reference: by id they would tell the order of a day's arrivals.
    cases = cases.order_by(due, "reference")
    if filters.q and not filters.searches_subject:
        cases = cases.filter(report__reference=filters.q.upper())
    elif filters.searches_subject:
        cases = cases.filter(pk__in=_subject_matches(cases, filters.q))
    return cases


# --- The subject ----------------------------------------------------------------


def report_subjects(reports: list[Report]) -> dict[int, str]:
    """Each report's short "what" by report id, decrypted (missing once its key is shredded)."""
    by_id = {report.pk: report for report in reports}
    subjects = {}
    for report_id, key in report_keys(reports).items():
        narrative = key.open_json("narrative", bytes(by_id[report_id].sealed_narrative))
        subjects[report_id] = str(narrative.get("what") or "") if isinstance(narrative, dict) else ""
    return subjects


def _subject_matches(cases: QuerySet[Case], search: str) -> list[int]:
    """Ids of the first ``SUBJECT_SCAN_LIMIT`` cases whose subject has every word (one query)."""
    words = search.casefold().split()
    scanned = list(
        cases.select_related("report").only(
            "id",
            "report",
            "report__uid",
            "report__key_version",
            "report__wrapped_key",
            "report__sealed_narrative",
        )[:SUBJECT_SCAN_LIMIT]
    )
    subjects = report_subjects([case.report for case in scanned])
    return [
        case.pk
        for case in scanned
        if all(word in subjects.get(case.report_id, "").casefold() for word in words)
    ]


def subject_scan_capped(user: Any, filters: QueueFilters) -> bool:
    """Whether a subject search left cases unread (more than ``SUBJECT_SCAN_LIMIT`` to scan)."""
    if not filters.searches_subject:
        return False
    unsearched = filtered_cases(user, replace(filters, q=""))
    return unsearched[SUBJECT_SCAN_LIMIT : SUBJECT_SCAN_LIMIT + 1].exists()


def with_subjects(cases: Any) -> list[tuple[Case, str]]:
    """Each case of one page with its subject. The page's cases come with their sealed
    narrative and wrapped key (``queue_page_cases(..., subjects=True)``), so this costs no
    query (``report_keys`` reads each data key version once): per row one unwrap of the
    report key and one AES-GCM open, well under a millisecond, for at most ``PAGE_SIZE`` rows."""
    cases = list(cases)
    subjects = report_subjects([case.report for case in cases])
    return [(case, _shortened(subjects.get(case.report_id, ""))) for case in cases]


def _shortened(subject: str) -> str:
    subject = " ".join(subject.split())
    return subject if len(subject) <= SUBJECT_LENGTH else subject[: SUBJECT_LENGTH - 1] + "…"


def queue_page_cases(cases: QuerySet[Case], *, subjects: bool = False) -> QuerySet[Case]:
    """What one row of the queue shows, loaded with the case (no query per row); with
    ``subjects``, also what ``with_subjects`` needs to decrypt each row's subject."""
    deferred = _REPORT_DEFERRED_FOR_SUBJECT if subjects else _REPORT_DEFERRED
    return cases.select_related("report__category", "assignee", "team").defer(
        "sealed_outcome_summary", *deferred
    )


def handler_choices(*, exclude_case: Case | None = None) -> list[User]:
    """Active people who can be given cases; for ``exclude_case``, only those who would see it
    once given it (``casework.access.could_know``) and are not excluded from it."""
    people = User.objects.filter(is_active=True, roles__overlap=sorted(HANDLERS)).only(
        "id", "full_name", "email", "username", "is_active", "roles"
    )
    if exclude_case is not None:
        excluded = Exclusion.objects.in_force().filter(case=exclude_case).values("user_id")
        people = people.exclude(pk__in=excluded)
        return [
            person for person in people.order_by("full_name", "email") if could_know(person, exclude_case)
        ]
    return list(people.order_by("full_name", "email"))


def category_choices() -> list[Category]:
    return list(Category.objects.all())
