"""Models: the admin's working calendar (days and years) and deadline clocks with their pauses.

The date arithmetic lives in `cms.deadlines.engine` (pure functions); a `Clock` stores the inputs, calls the
engine on every save and stores the due date, so lists can be filtered and sorted by it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .calendar import CHINA_TZ, WorkingCalendar, calendar_warning, local_today, package_covers
from .engine import Pause, Schedule, State

#: Labels of the clock states, for display.
STATE_LABELS = {
    State.RUNNING: _("running"),
    State.PAUSED: _("paused"),
    State.MET: _("met"),
    State.OVERDUE: _("overdue"),
}


class CalendarDay(models.Model):
    """A day entered by the admin: a holiday or a 调休 working day.

    It overrides the `chinese_calendar` package for its date and, together with a complete `CalendarYear`,
    extends the calendar to years the package does not know.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_("Checked: people work that day (e.g. 调休上班 on a weekend). Unchecked: a day off (e.g. 春节)."),
    )
    name = models.CharField(_("name"), max_length=64, blank=True, help_text=_("E.g. 春节, 国庆节, 调休上班."))
    note = models.TextField(_("note"), blank=True, help_text=_("E.g. the State Council notice the day comes from."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = gettext("working day") if self.is_workday else gettext("day off")
        return f"{self.date.isoformat()} {self.name} ({kind})" if self.name else f"{self.date.isoformat()} ({kind})"


class CalendarYear(models.Model):
    """A year of the admin's calendar; `complete` once all its holidays and 调休 days are entered.

    Dates of a complete year without a `CalendarDay` are ordinary days (Monday to Friday work). A year that
    neither the package nor a complete `CalendarYear` covers makes every deadline running into it an estimate.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_(
            "Check once every holiday and 调休 working day of this year has been entered as a calendar day "
            "(from the State Council's notice). Until then deadlines running into the year are estimates."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def covered_by_package(self) -> bool:
        """True when the `chinese_calendar` package already knows this year (the days then only override it)."""
        return package_covers(self.year)


class ClockQuerySet(models.QuerySet):
    """Queries over clocks; `overdue` agrees with `Clock.state_on`."""

    def for_object(self, obj: models.Model) -> ClockQuerySet:
        """The clocks attached to `obj`."""
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def open(self) -> ClockQuerySet:
        """Clocks not stopped yet (running, paused or overdue)."""
        return self.filter(stopped_on__isnull=True)

    def paused(self) -> ClockQuerySet:
        """Clocks with an open pause."""
        return self.open().filter(paused_since__isnull=False)

    def overdue(self, today: date | None = None) -> ClockQuerySet:
        """Open clocks past their due date on `today` (default: today in China), unless paused in time."""
        today = today or local_today()
        return (
            self.open()
            .filter(due_date__lt=today)
            .filter(Q(paused_since__isnull=True) | Q(paused_since__gte=F("due_date")))
        )


class Clock(models.Model):
    """A deadline counted in working days from day zero, owned by any object (request, letter, page ...).

    Counting rules (day zero, pauses, restart, extension, states) are those of `cms.deadlines.engine`. Change a
    clock through its methods (`pause`, `resume`, `restart`, `extend`, `stop`): they validate the change, raise
    a ValidationError with a translated message (and a `code`) when it is not allowed, and save. They reload
    the row locked for update first, so save any direct field edits before calling them. Every save recomputes
    `due_date`; django-simple-history keeps each version (start, pauses, extension, due date) with the change
    as `history_change_reason` (paused, resumed, restarted, extended, stopped, calendar changed ...).

    Owners may declare ``clocks = GenericRelation("deadlines.Clock")`` to reach their clocks.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("owner type"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("owner id"), null=True, blank=True)
    owner = GenericForeignKey("content_type", "object_id")
    kind = models.SlugField(
        _("kind"), max_length=64, help_text=_("E.g. publication, disclosure_request, letter_reply.")
    )
    limit_days = models.PositiveSmallIntegerField(_("limit (working days)"))
    max_extension_days = models.PositiveSmallIntegerField(_("longest extension (working days)"), default=0)
    original_start_date = models.DateField(_("first day zero"), editable=False)
    start_date = models.DateField(_("day zero"), help_text=_("The day of receipt; counting starts the day after."))
    restart_count = models.PositiveSmallIntegerField(_("restarts"), default=0, editable=False)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0, editable=False)
    extension_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extension approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    extension_approver_name = models.CharField(
        _("extension approved by (name)"), max_length=255, blank=True, editable=False
    )
    extension_reason = models.TextField(_("reason for the extension"), blank=True, editable=False)
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True, editable=False)
    stopped_on = models.DateField(_("met on"), null=True, blank=True, editable=False)
    paused_since = models.DateField(_("paused since"), null=True, blank=True, editable=False)
    due_date = models.DateField(_("due date"), editable=False, db_index=True)
    uncovered_years = models.JSONField(_("years estimated without a holiday calendar"), default=list, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = ClockQuerySet.as_manager()

    class Meta:
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="deadlines_clock_owner"),
            models.Index(fields=["stopped_on", "due_date"], name="deadlines_clock_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.start_date.isoformat()} → {self.due_date.isoformat() if self.due_date else '?'}"

    def save(self, *args: Any, calendar: WorkingCalendar | None = None, **kwargs: Any) -> None:
        """Save after recomputing the due date (`calendar` lets many saves share one calendar)."""
        if self.original_start_date is None:
            self.original_start_date = self.start_date
        self.recompute(calendar)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "due_date", "paused_since", "uncovered_years", "updated_at"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Check the extension against the limit (for forms)."""
        if self.extension_days > self.max_extension_days:
            raise ValidationError(
                gettext("The extension may not exceed %(max)s working days.") % {"max": self.max_extension_days}
            )

    @classmethod
    def start_for(
        cls,
        owner: models.Model | None,
        *,
        kind: str,
        start_date: date,
        limit_days: int,
        max_extension_days: int = 0,
    ) -> Clock:
        """Create and save a clock for `owner` (or none) with day zero `start_date`."""
        clock = cls(kind=kind, start_date=start_date, limit_days=limit_days, max_extension_days=max_extension_days)
        if owner is not None:
            clock.owner = owner
        clock.save()
        return clock

    # --- computation -------------------------------------------------------------------------------------

    def current_pauses(self) -> list[ClockPause]:
        """The pauses of the current run (since the last restart), in order."""
        if self.pk is None:
            return []
        return list(self.pauses.filter(run=self.restart_count).order_by("paused_on", "pk"))

    def schedule(self, pauses: list[ClockPause] | None = None) -> Schedule:
        """The engine's view of the current run."""
        if pauses is None:
            pauses = self.current_pauses()
        return Schedule(
            start=self.start_date,
            limit_days=self.limit_days,
            extension_days=self.extension_days,
            pauses=tuple(Pause(p.paused_on, p.resumed_on) for p in pauses),
            stopped_on=self.stopped_on,
        )

    def recompute(self, calendar: WorkingCalendar | None = None) -> None:
        """Recompute `due_date`, `paused_since` and `uncovered_years` (without saving).

        Never raises CalendarNotCovered: an unknown year is estimated with Monday to Friday and recorded.
        """
        cal = (calendar or WorkingCalendar.from_db()).tracking_copy()
        pauses = self.current_pauses()
        schedule = self.schedule(pauses)
        self.due_date = schedule.due_date(cal)
        open_pause = schedule.open_pause
        self.paused_since = open_pause.paused_on if open_pause else None
        self.uncovered_years = sorted(cal.uncovered_years)

    def _evaluate(self, today: date | None) -> tuple[Schedule, WorkingCalendar, date]:
        return self.schedule(), WorkingCalendar.from_db(strict=False), today or local_today()

    def state_on(self, today: date | None = None) -> State:
        """The state on `today` (default: today in China): running, paused, met or overdue."""
        schedule, cal, today = self._evaluate(today)
        return schedule.state(today, cal)

    @property
    def state(self) -> State:
        """The state today (Asia/Shanghai)."""
        return self.state_on()

    def working_days_left(self, today: date | None = None) -> int:
        """Working days left after `today`: 0 on the due day, negative when overdue, frozen while paused."""
        schedule, cal, today = self._evaluate(today)
        return schedule.working_days_left(today, cal)

    def paused_working_days(self, today: date | None = None) -> int:
        """The working days of the current run that did not count because of pauses (up to `today`)."""
        schedule, cal, today = self._evaluate(today)
        return schedule.paused_working_days(self.stopped_on or today, cal)

    def is_due_soon(self, today: date | None = None, within: int = 3) -> bool:
        """True when the clock is running and at most `within` working days are left after `today`."""
        schedule, cal, today = self._evaluate(today)
        return schedule.state(today, cal) == State.RUNNING and schedule.working_days_left(today, cal) <= within

    @property
    def is_estimate(self) -> bool:
        """True when the due date was estimated over a year without a holiday calendar."""
        return bool(self.uncovered_years)

    @property
    def calendar_warning(self) -> str | None:
        """The translated warning for an estimated due date, or None."""
        return calendar_warning(self.uncovered_years)

    def as_dict(self, today: date | None = None) -> dict[str, Any]:
        """The clock for APIs: dates in ISO format, state, days left, pauses, extension and any calendar warning.

        Never raises for a year without a holiday calendar: the dates are then estimates, `calendar_warning`
        says so and `due_date_is_estimate` tells whether the due date itself is one (the warning may also
        concern only the days counted up to `today`). The approver's identity is left out (it is in the model
        and its history); everything is computed afresh from the current calendar.
        """
        today = today or local_today()
        cal = WorkingCalendar.from_db(strict=False)
        due_cal = cal.tracking_copy()  # the years the due date itself was estimated over
        pauses = self.current_pauses()
        schedule = self.schedule(pauses)
        due = schedule.due_date(due_cal)
        state = schedule.state(today, cal)
        left = schedule.working_days_left(today, cal)
        paused_days = schedule.paused_working_days(self.stopped_on or today, cal)
        return {
            "kind": self.kind,
            "start_date": self.start_date.isoformat(),
            "original_start_date": self.original_start_date.isoformat(),
            "restarts": self.restart_count,
            "limit_days": self.limit_days,
            "extension": (
                {
                    "days": self.extension_days,
                    "reason": self.extension_reason,
                    "at": self.extended_at.isoformat() if self.extended_at else None,
                }
                if self.extension_days
                else None
            ),
            "due_date": due.isoformat(),
            "due_date_is_estimate": bool(due_cal.uncovered_years),
            "state": state.value,
            "state_label": str(STATE_LABELS[state]),
            "working_days_left": left,
            "is_due_soon": state == State.RUNNING and left <= 3,
            "paused_since": self.paused_since.isoformat() if self.paused_since else None,
            "paused_working_days": paused_days,
            "pauses": [
                {
                    "paused_on": p.paused_on.isoformat(),
                    "resumed_on": p.resumed_on.isoformat() if p.resumed_on else None,
                    "reason": p.reason,
                }
                for p in pauses
            ],
            "stopped_on": self.stopped_on.isoformat() if self.stopped_on else None,
            "met_on_time": (self.stopped_on <= due) if self.stopped_on else None,
            "calendar_warning": calendar_warning(due_cal.uncovered_years | cal.uncovered_years),
        }

    # --- changes -----------------------------------------------------------------------------------------

    def _lock(self) -> None:
        """Reload this clock's row locked for update (inside a transaction), so concurrent changes queue."""
        if self.pk is not None:
            self.refresh_from_db(from_queryset=type(self).objects.select_for_update())

    def _refuse_if_stopped(self) -> None:
        if self.stopped_on is not None:
            raise ValidationError(
                gettext("This clock stopped on %(date)s and can no longer change.") % {"date": self.stopped_on},
                code="stopped",
            )

    def _save_change(self, reason: str) -> None:
        self._change_reason = reason  # django-simple-history: history_change_reason
        self.save()

    def pause(self, on: date, reason: str) -> ClockPause:
        """Pause on day `on` (which still counts); raises ValidationError when paused, stopped or out of order."""
        with transaction.atomic():
            self._lock()
            self._refuse_if_stopped()
            if not (reason or "").strip():
                raise ValidationError(gettext("Give the reason for the pause."), code="reason_required")
            if self.paused_since is not None:
                raise ValidationError(
                    gettext("This clock is already paused since %(date)s; resume it first.")
                    % {"date": self.paused_since},
                    code="already_paused",
                )
            if on < self.start_date:
                raise ValidationError(
                    gettext("A clock cannot pause before its day zero (%(date)s).") % {"date": self.start_date},
                    code="before_start",
                )
            pauses = self.current_pauses()
            last_resumed = pauses[-1].resumed_on if pauses else None
            if last_resumed is not None and on < last_resumed:
                raise ValidationError(
                    gettext("A clock cannot pause before it last resumed (%(date)s).") % {"date": last_resumed},
                    code="before_last_resume",
                )
            pause = ClockPause(clock=self, run=self.restart_count, paused_on=on, reason=reason.strip())
            pause.save(recompute_clock=False)
            self._save_change("paused")
        return pause

    def resume(self, on: date) -> ClockPause:
        """Resume on day `on` (which does not count); raises ValidationError when the clock is not paused."""
        with transaction.atomic():
            self._lock()
            self._refuse_if_stopped()
            pause = self.pauses.filter(run=self.restart_count, resumed_on__isnull=True).first()
            if pause is None:
                raise ValidationError(gettext("This clock is not paused."), code="not_paused")
            if on < pause.paused_on:
                raise ValidationError(
                    gettext("A clock cannot resume before it paused (%(date)s).") % {"date": pause.paused_on},
                    code="resume_before_pause",
                )
            pause.resumed_on = on
            pause.save(recompute_clock=False)
            self._save_change("resumed")
        return pause

    def restart(self, on: date) -> None:
        """Start again from day zero `on` with the full limit (e.g. a corrected request).

        An open pause is closed on `on`; earlier pauses and any extension belong to the previous run and no
        longer count (they stay in the history), so the new run may be extended once again.
        """
        with transaction.atomic():
            self._lock()
            self._refuse_if_stopped()
            self._end_run_on(on, gettext("A clock cannot restart before %(date)s."), "restart_too_early")
            self.start_date = on
            self.restart_count += 1
            self.extension_days = 0
            self.extension_approver = None
            self.extension_approver_name = ""
            self.extension_reason = ""
            self.extended_at = None
            self._save_change("restarted")

    def extend(self, days: int, approver: Any, reason: str) -> None:
        """Extend once by 1..`max_extension_days` working days, approved by `approver` (a user), for `reason`."""
        with transaction.atomic():
            self._lock()
            self._refuse_if_stopped()
            if self.extension_days:
                raise ValidationError(
                    gettext(
                        "This clock was already extended once (%(days)s working days on %(date)s); "
                        "it cannot be extended again."
                    )
                    % {
                        "days": self.extension_days,
                        "date": self.extended_at.astimezone(CHINA_TZ).date() if self.extended_at else "?",
                    },
                    code="already_extended",
                )
            if self.max_extension_days == 0:
                raise ValidationError(gettext("This deadline cannot be extended."), code="not_extendable")
            if not 1 <= days <= self.max_extension_days:
                raise ValidationError(
                    gettext("An extension must be between 1 and %(max)s working days.")
                    % {"max": self.max_extension_days},
                    code="extension_too_long",
                )
            if approver is None or getattr(approver, "pk", None) is None:
                raise ValidationError(gettext("Name who approved the extension."), code="approver_required")
            if not (reason or "").strip():
                raise ValidationError(gettext("Give the reason for the extension."), code="reason_required")
            self.extension_days = days
            self.extension_approver = approver
            self.extension_approver_name = approver.get_full_name().strip() or approver.get_username()
            self.extension_reason = reason.strip()
            self.extended_at = timezone.now()
            self._save_change("extended")

    def change_limit(self, days: int, reason: str) -> None:
        """Set the limit of the current run to `days` working days (e.g. a letter triaged as complex: its
        limit follows its complexity); refused once stopped. The history records `reason`."""
        with transaction.atomic():
            self._lock()
            self._refuse_if_stopped()
            if days < 1:
                raise ValidationError(gettext("A limit is at least one working day."), code="limit_too_short")
            if days != self.limit_days:
                self.limit_days = days
                self._save_change(reason or "limit changed")

    def _end_run_on(self, on: date, message: str, code: str) -> None:
        """Refuse a date before the run's last event (day zero, a pause or a resume); close an open pause."""
        pauses = self.current_pauses()
        latest = max([self.start_date, *(p.resumed_on or p.paused_on for p in pauses)])
        if on < latest:
            raise ValidationError(message % {"date": latest}, code=code)
        for pause in pauses:
            if pause.resumed_on is None:
                pause.resumed_on = on
                pause.save(recompute_clock=False)

    def stop(self, on: date) -> None:
        """Stop the clock on `on`: the deadline is met (answered, published ...). An open pause ends on `on`."""
        with transaction.atomic():
            self._lock()
            self._refuse_if_stopped()
            self._end_run_on(on, gettext("A clock cannot stop before %(date)s."), "stop_too_early")
            self.stopped_on = on
            self._save_change("stopped")


class ClockPause(models.Model):
    """A pause of a clock (e.g. consulting a third party): no working day in (paused_on, resumed_on] counts.

    Create and end pauses with `Clock.pause` and `Clock.resume`; saving or deleting one directly recomputes
    its clock too.
    """

    clock = models.ForeignKey(Clock, verbose_name=_("clock"), on_delete=models.CASCADE, related_name="pauses")
    run = models.PositiveSmallIntegerField(
        _("run"), default=0, editable=False, help_text=_("The clock's restart count when the pause began.")
    )
    paused_on = models.DateField(_("paused on"))
    resumed_on = models.DateField(_("resumed on"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        ordering = ["clock", "paused_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=F("paused_on")),
                name="deadlines_pause_resumes_after_pausing",
            ),
            models.UniqueConstraint(
                fields=["clock"], condition=Q(resumed_on__isnull=True), name="deadlines_one_open_pause_per_clock"
            ),
        ]

    def __str__(self) -> str:
        end = self.resumed_on.isoformat() if self.resumed_on else "…"
        return f"{self.paused_on.isoformat()} – {end}"

    def save(self, *args: Any, recompute_clock: bool = True, **kwargs: Any) -> None:
        """Save; unless the clock is saving the change itself, recompute and save the clock too."""
        with transaction.atomic():
            super().save(*args, **kwargs)
            if recompute_clock:
                self.clock.refresh_from_db()
                self.clock._save_change("pause edited")

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Delete and recompute the clock."""
        clock = self.clock
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            clock.refresh_from_db()
            clock._save_change("pause deleted")
        return result


# --- keeping stored due dates in step with the calendar ------------------------------------------------------


def recompute_clocks(clocks: Iterable[Clock], reason: str = "calendar changed") -> int:
    """Recompute the given clocks with one shared calendar; save (and so record history) only those whose due
    date, pause or estimate changed. Returns how many changed."""
    calendar = WorkingCalendar.from_db()
    changed = 0
    for clock in clocks:
        before = (clock.due_date, clock.paused_since, list(clock.uncovered_years))
        clock.recompute(calendar)
        if (clock.due_date, clock.paused_since, list(clock.uncovered_years)) != before:
            clock._change_reason = reason
            clock.save(calendar=calendar)
            changed += 1
    return changed


def recompute_clocks_counting_over(first: date, last: date) -> int:
    """Recompute the clocks that count some day in [first, last], i.e. start < day <= due date."""
    return recompute_clocks(Clock.objects.filter(start_date__lt=last, due_date__gte=first))


@receiver(pre_save, sender=CalendarDay)
@receiver(pre_save, sender=CalendarYear)
def _remember_stored_values(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Remember the stored date or year, so moving a row also recomputes the clocks of the old one."""
    field = "date" if sender is CalendarDay else "year"
    instance._stored_value = (
        sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def _calendar_day_changed(sender: type[CalendarDay], instance: CalendarDay, **kwargs: Any) -> None:
    """A day changed: clocks counting over it (or over its former date) get new due dates."""
    if kwargs.get("raw"):
        return
    for day in {instance.date, getattr(instance, "_stored_value", None)} - {None}:
        recompute_clocks_counting_over(day, day)


@receiver(post_save, sender=CalendarYear)
@receiver(post_delete, sender=CalendarYear)
def _calendar_year_changed(sender: type[CalendarYear], instance: CalendarYear, **kwargs: Any) -> None:
    """A year's coverage changed: clocks counting over that year are recomputed (estimates become exact)."""
    if kwargs.get("raw"):
        return
    for year in {instance.year, getattr(instance, "_stored_value", None)} - {None}:
        recompute_clocks_counting_over(date(year, 1, 1), date(year, 12, 31))
