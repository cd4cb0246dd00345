"""Fixtures of the annual-report tests: a year (2025) of requests in every row and column of table three with
carry-over from 2024 and into 2026, and remedies of every kind and outcome; each fixture returns the counts
expected, computed here independently of the report."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from plugins.disclosure_requests.choices import REASONS, RemedyKind, RemedyOutcome
from plugins.disclosure_requests.models import DisclosureRequest, Remedy, issue_serial

#: Applicant columns of table three (without 总计), in the printed order.
COLUMN_KEYS = ["person", "business", "research", "public_interest", "legal_services", "other"]
#: Every result of table three as (type, reason).
RESULTS = [("disclose", ""), ("partial", "")] + [(k, r) for k, rs in REASONS.items() for r in rs]
#: Outcomes of table four (without 总计), in the printed order.
OUTCOMES = ["upheld", "corrected", "other", "pending"]
KINDS = ["reconsideration", "lawsuit_direct", "lawsuit_after"]


def make(portal, column: str, received: date, closed: date | None = None, result: tuple[str, str] = ("", "")):
    """A request of an applicant in `column`, received and (optionally) closed with `result` (saved directly,
    without the transitions)."""
    serial = issue_serial(portal, received.year)
    organisation = column != "person"
    return DisclosureRequest.objects.create(
        portal=portal,
        number=f"T{portal.pk}-{received.year}-{serial:05d}",
        year=received.year,
        serial=serial,
        query_code_hash="x",
        received_on=received,
        applicant_type="organisation" if organisation else "person",
        organisation_kind=column if organisation else "",
        applicant_name="测试",
        id_number="11010519491231002X",
        phone="13800138000",
        info_title="t",
        info_description="d",
        state="answered" if closed else "assigned",
        closed_on=closed,
        result_type=result[0],
        result_reason=result[1],
    )


def remedy(req, kind: str, filed: date, outcome: str = RemedyOutcome.PENDING, decided: date | None = None) -> Remedy:
    """A reconsideration or lawsuit against `req`."""
    return Remedy.objects.create(request=req, kind=kind, filed_on=filed, outcome=outcome, decided_on=decided)


def expected_cell(expected: Counter, key: str, column: str) -> int:
    """An expected count of table three, 总计 being the sum of the six columns."""
    if column == "total":
        return sum(expected[key, c] for c in COLUMN_KEYS)
    return expected[key, column]


@pytest.fixture
def year_of_requests(ankang) -> Counter:
    """Requests of 2025 in every row and column (0–2 per cell, so cells differ), with carry-over from 2024 and
    into 2026; returns the expected counts keyed (row key, column)."""
    rng = random.Random(2025)
    expected: Counter = Counter()
    for i, (result_type, reason) in enumerate(RESULTS):
        for j, column in enumerate(COLUMN_KEYS):
            for _ in range((i + j) % 3):
                received = date(2025, rng.randint(1, 11), rng.randint(1, 28))
                make(ankang, column, received, date(2025, 12, rng.randint(1, 31)), (result_type, reason))
                expected["new", column] += 1
                expected[result_type + (f":{reason}" if reason else ""), column] += 1
                expected["handled_total", column] += 1
                if reason:
                    expected[result_type, column] += 1
    for column in COLUMN_KEYS:
        # carried in: received in 2024, closed in 2025 (disclosed) or still open
        make(ankang, column, date(2024, 12, 20), date(2025, 1, 10), ("disclose", ""))
        make(ankang, column, date(2024, 11, 3))
        expected["carried_in", column] += 2
        expected["disclose", column] += 1
        expected["handled_total", column] += 1
        expected["carried_out", column] += 1
        # carried out: received in 2025, closed in 2026 or open; one received on the last day of the year
        make(ankang, column, date(2025, 12, 29), date(2026, 1, 5), ("withhold", "state_secret"))
        make(ankang, column, date(2025, 12, 31))
        expected["new", column] += 2
        expected["carried_out", column] += 2
        # in neither: closed in 2024, received in 2026
        make(ankang, column, date(2024, 3, 1), date(2024, 4, 1), ("disclose", ""))
        make(ankang, column, date(2026, 1, 2))
    return expected


@pytest.fixture
def remedies_2025(ankang) -> dict[str, Counter]:
    """Reconsiderations and lawsuits around 2025, different counts per kind; returns kind -> outcome -> count
    expected in the 2025 report (with `total`)."""
    req = make(ankang, "person", date(2024, 5, 6), date(2024, 5, 20), ("withhold", "third_party"))
    expected = {kind: Counter() for kind in RemedyKind.values}
    for k, kind in enumerate(KINDS):
        for o, outcome in enumerate((RemedyOutcome.UPHELD, RemedyOutcome.CORRECTED, RemedyOutcome.OTHER)):
            for _ in range(1 + (k + o) % 3):  # decided in the year
                remedy(req, kind, date(2025, 2, 3), outcome, date(2025, 8, 4))
                expected[kind][outcome] += 1
        for _ in range(k + 1):  # undecided at the end of the year
            remedy(req, kind, date(2025, 3, 3))
            expected[kind][RemedyOutcome.PENDING] += 1
        remedy(req, kind, date(2025, 11, 3), RemedyOutcome.UPHELD, date(2026, 2, 2))  # decided after the year
        expected[kind][RemedyOutcome.PENDING] += 1
        remedy(req, kind, date(2024, 6, 3), RemedyOutcome.CORRECTED, date(2025, 1, 15))  # filed before, decided in
        expected[kind][RemedyOutcome.CORRECTED] += 1
        remedy(req, kind, date(2024, 6, 3))  # filed before, still undecided
        expected[kind][RemedyOutcome.PENDING] += 1
        remedy(req, kind, date(2024, 6, 3), RemedyOutcome.UPHELD, date(2024, 9, 2))  # finished before the year
        remedy(req, kind, date(2026, 1, 5))  # filed after the year
        expected[kind]["total"] = sum(expected[kind].values())
    return expected
