"""Statistics of letters per department and month (the 活跃度 of seed 000 §四.5: replies and their timeliness).

A letter counts in the month it was received and for the department that handles it (the department it was
last routed to, else its box's). For each (department, month): received; replied, of those on time (by the
reply clock, extensions included) and late; still open, of those overdue today; closed without a reply; and
the average reply time in working days from receipt to reply.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from cms.deadlines.calendar import WorkingCalendar, local_today
from cms.deadlines.engine import working_days_between
from cms.models import Portal

from .choices import State
from .models import Letter
from .queries import attach_clocks


@dataclass
class Row:
    """The counts of one department in one month."""

    department: str
    month: int
    received: int = 0
    replied: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    closed: int = 0
    reply_days: list[int] = field(default_factory=list)

    @property
    def average_reply_days(self) -> float | None:
        """The average working days from receipt to reply (None without replies)."""
        return round(sum(self.reply_days) / len(self.reply_days), 1) if self.reply_days else None

    @property
    def on_time_rate(self) -> float | None:
        """Share of replies on time, in percent (None without replies)."""
        return round(100 * self.on_time / self.replied, 1) if self.replied else None

    def add(self, other: Row) -> None:
        """Add `other`'s counts to this row."""
        for name in ("received", "replied", "on_time", "late", "open", "overdue", "closed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reply_days.extend(other.reply_days)


def letter_statistics(portal: Portal, year: int, month: int | None = None, today: date | None = None) -> list[Row]:
    """The rows of `portal`'s letters received in `year` (and `month`), by department then month, plus a total
    row per month (department "") at the end."""
    today = today or local_today()
    letters = Letter.objects.filter(portal=portal, year=year).select_related("department", "box__department")
    if month is not None:
        letters = letters.filter(received_on__month=month)
    letters = attach_clocks(letters, today)
    calendar = WorkingCalendar.from_db(strict=False)
    rows: dict[tuple[str, int], Row] = {}
    for letter in letters:
        department = (letter.department or letter.box.department).name
        key = (department, letter.received_on.month)
        row = rows.setdefault(key, Row(department, letter.received_on.month))
        row.received += 1
        clock = letter.clock_info
        if letter.state == State.REPLIED:
            row.replied += 1
            if clock and clock["met_on_time"] is False:
                row.late += 1
            else:
                row.on_time += 1
            if letter.replied_on:
                row.reply_days.append(working_days_between(letter.received_on, letter.replied_on, calendar))
        elif letter.state == State.CLOSED:
            row.closed += 1
        else:
            row.open += 1
            if clock and clock["state"] == "overdue":
                row.overdue += 1
    ordered = sorted(rows.values(), key=lambda r: (r.department, r.month))
    totals: dict[int, Row] = defaultdict(lambda: Row("", 0))
    for row in ordered:
        total = totals[row.month]
        total.month = row.month
        total.add(row)
    return ordered + [totals[m] for m in sorted(totals)]
