"""The request lifecycle: every transition, its effect on the answer clock and its history record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from plugins.disclosure_requests import transitions as t
from plugins.disclosure_requests.choices import AnswerType, Channel, FeeState, RemedyKind, RemedyOutcome, State
from plugins.disclosure_requests.models import DisclosureRequest, RequestSerial

APPLICANT = {
    "applicant_name": "张三",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "info_title": "2024年交通事故统计",
    "info_description": "安康市2024年道路交通事故起数、死亡人数",
}


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("office-admin", password="pw-123456")


@pytest.fixture
def received(ankang, admin):
    """A request received by post, signed for on Monday 2025-01-20 (limit 20 → due 2025-02-21)."""
    req, _code, created = t.submit(ankang, APPLICANT, channel=Channel.POST, channel_date=date(2025, 1, 20), user=admin)
    assert created
    return req


def reasons(req: DisclosureRequest) -> list[str]:
    return [h.history_change_reason for h in req.history.order_by("history_date", "history_id")]


def test_submit_numbers_and_starts_the_clock(received, ankang):
    assert received.number == f"依申2025-{received.serial:04d}"
    assert received.received_on == date(2025, 1, 20)
    clock = received.clock
    assert clock.due_date == date(2025, 2, 21)
    assert clock.max_extension_days == 20
    assert received.history.first().history_change_reason == "received"
    assert RequestSerial.objects.get(portal=ankang, year=2025).last == received.serial


def test_post_needs_the_signed_for_date_and_nothing_is_stored(ankang):
    before = DisclosureRequest.objects.count()
    with pytest.raises(t.TransitionError) as exc:
        t.submit(ankang, APPLICANT, channel=Channel.POST)
    assert exc.value.code == "channel_date_required"
    with pytest.raises(t.TransitionError) as exc:
        t.submit(ankang, APPLICANT, channel=Channel.FAX, channel_date=date(2099, 1, 1))
    assert exc.value.code == "receipt_in_future"
    assert DisclosureRequest.objects.count() == before


def test_serials_have_no_gaps_after_a_refused_submission(ankang):
    first, _code, _ = t.submit(ankang, APPLICANT, channel=Channel.EMAIL, channel_date=date(2025, 6, 3))
    with pytest.raises(t.TransitionError):
        t.submit(ankang, APPLICANT, channel=Channel.EMAIL)  # no date: refused before a serial is spent
    second, _code, _ = t.submit(ankang, APPLICANT, channel=Channel.EMAIL, channel_date=date(2025, 6, 4))
    assert second.serial == first.serial + 1


def test_idempotency_key_returns_the_first_request(ankang):
    first, code, created = t.submit(ankang, APPLICANT, idempotency_key="abc-1")
    again, code2, created2 = t.submit(ankang, APPLICANT, idempotency_key="abc-1")
    assert created and not created2 and code2 is None and again.pk == first.pk
    assert first.check_query_code(code) and first.check_query_code(code.lower()) and not first.check_query_code("X")


def test_html_is_stripped_on_intake(ankang):
    data = {**APPLICANT, "info_title": "<b>统计</b><script>alert(1)</script>", "purpose": "<img src=x onerror=1>研究"}
    req, _code, _ = t.submit(ankang, data)
    assert req.info_title == "统计" and req.purpose == "研究"


def test_correction_once_within_seven_working_days_then_the_clock_restarts(received, admin):
    t.start_check(received, admin)
    with pytest.raises(t.TransitionError) as exc:
        t.request_correction(received, admin, "请说明年份", on=date(2025, 2, 10))  # 8th working day after 01-20
    assert exc.value.code == "correction_too_late"
    t.request_correction(received, admin, "请说明所需信息的年份", on=date(2025, 1, 22))
    assert received.state == State.CORRECTION
    assert received.clock.paused_since == date(2025, 1, 22)
    t.record_correction(received, admin, "需要2024年全年的统计", on=date(2025, 2, 10))
    clock = received.clock
    assert received.state == State.CHECKING
    assert clock.start_date == date(2025, 2, 10) and clock.original_start_date == date(2025, 1, 20)
    assert clock.paused_since is None
    assert received.corrected_text == "需要2024年全年的统计"
    # A second correction request is refused.
    with pytest.raises(t.TransitionError) as exc:
        t.request_correction(received, admin, "again", on=date(2025, 2, 11))
    assert exc.value.code == "already_corrected"
    assert reasons(received)[-3:] == ["first check", "correction requested", "corrected"]


def test_uncorrected_request_is_abandoned_only_after_its_due_date(received, admin):
    t.request_correction(received, admin, "请补充文号", on=date(2025, 1, 21))
    due = received.correction_due
    with pytest.raises(t.TransitionError) as exc:
        t.abandon_uncorrected(received, admin, on=due)
    assert exc.value.code == "not_yet_due"
    t.abandon_uncorrected(received, admin, on=date(2025, 3, 31))
    assert received.state == State.ABANDONED
    assert (received.result_type, received.result_reason) == (AnswerType.OTHER, "correction_lapsed")
    assert received.closed_on == date(2025, 3, 31) and received.clock.stopped_on == date(2025, 3, 31)


def test_consultation_pauses_until_the_last_party_answers(received, admin, department):
    t.assign(received, admin, department("jiaojing"), "请交警支队办理", on=date(2025, 1, 21))
    first = t.start_consultation(received, admin, "third_party", "某运输公司", on=date(2025, 2, 5))
    second = t.start_consultation(received, admin, "co_organ", "市交通运输局", on=date(2025, 2, 6))
    assert first.due_on > first.sent_on and received.state == State.CONSULTING
    t.end_consultation(first, admin, on=date(2025, 2, 7), opinion="不同意公开", consents=False)
    assert received.state == State.CONSULTING and received.clock.paused_since == date(2025, 2, 5)
    t.end_consultation(second, admin, on=date(2025, 2, 7), consents=True)
    received.refresh_from_db()
    assert received.state == State.ASSIGNED
    # 02-06 and 02-07 do not count (docs/deadlines.md's worked example).
    assert received.clock.due_date == date(2025, 2, 25)
    with pytest.raises(t.TransitionError):
        t.end_consultation(second, admin, on=date(2025, 2, 8))


def test_extension_once_by_the_office_head_within_the_limit(received, admin, member):
    clerk = member("jiaojing", "editors")
    with pytest.raises(t.TransitionError) as exc:
        t.extend(received, clerk, 10, "信息量大")
    assert exc.value.code == "forbidden"
    with pytest.raises(t.TransitionError):
        t.extend(received, admin, 21, "信息量大")
    t.extend(received, admin, 20, "信息量大，需要汇总")
    assert received.clock.due_date == date(2025, 3, 21)
    with pytest.raises(t.TransitionError):
        t.extend(received, admin, 1, "again")
    record = received.history.first()
    assert record.history_change_reason == "extended by 20 working days" and record.history_user == admin


def test_fee_notice_pauses_and_payment_resumes(received, admin, department):
    t.assign(received, admin, department("jiaojing"), on=date(2025, 1, 21))
    t.notify_fee(received, admin, Decimal("300"), "按件计收：第11至13件", on=date(2025, 2, 5))
    assert received.state == State.AWAITING_FEE and received.fee_state == FeeState.NOTIFIED
    assert received.fee_due > date(2025, 2, 5)
    t.record_fee_paid(received, admin, on=date(2025, 2, 7))
    assert received.state == State.ASSIGNED and received.fee_state == FeeState.PAID
    assert received.clock.due_date == date(2025, 2, 25)


def test_unpaid_fee_closes_the_request(received, admin, department):
    t.assign(received, admin, department("jiaojing"), on=date(2025, 1, 21))
    t.notify_fee(received, admin, Decimal("100"), "按件计收", on=date(2025, 2, 5))
    with pytest.raises(t.TransitionError):
        t.close_fee_unpaid(received, admin, on=date(2025, 2, 6))
    t.close_fee_unpaid(received, admin, on=date(2025, 4, 1))
    assert (received.state, received.result_type, received.result_reason) == (
        State.ABANDONED,
        AnswerType.OTHER,
        "fee_unpaid",
    )
    assert received.fee_state == FeeState.UNPAID


def test_answer_needs_its_reason_and_the_competent_organ(received, admin):
    with pytest.raises(t.TransitionError) as exc:
        t.draft_answer(received, admin, answer_type=AnswerType.WITHHOLD, body="不予公开")
    assert exc.value.code == "bad_reason"
    with pytest.raises(t.TransitionError) as exc:
        t.draft_answer(received, admin, answer_type=AnswerType.UNABLE, reason="not_held", body="本机关不掌握")
    assert exc.value.code == "right_organ_required"
    answer = t.draft_answer(
        received,
        admin,
        answer_type=AnswerType.UNABLE,
        reason="not_held",
        body="经检索，本机关未制作或获取该信息。",
        right_organ="安康市交通运输局，电话0915-1234567",
        public_summary="本机关不掌握该信息，请向安康市交通运输局申请。",
    )
    received.refresh_from_db()
    assert received.state == State.DRAFTING and answer.revisions.count() == 1


def test_answer_cannot_be_sent_before_approval_and_closes_with_its_result(received, admin):
    answer = t.draft_answer(
        received,
        admin,
        answer_type=AnswerType.PARTIAL,
        body="部分公开",
        public_summary="部分公开，涉及个人信息的部分不予公开。",
    )
    with pytest.raises(t.TransitionError) as exc:
        t.send_answer(received, admin)
    assert exc.value.code == "wrong_state"
    # Approval by the chain publishes the answer; nobody else may, superusers included ...
    from wagtail.actions.publish_revision import PublishPermissionError

    with pytest.raises(PublishPermissionError):
        answer.save_revision(user=admin).publish(user=admin)
    # ... so here code publishes it (no user) and marks the request approved.
    answer.get_latest_revision().publish(user=None)
    DisclosureRequest.objects.filter(pk=received.pk).update(state=State.APPROVED)
    received.refresh_from_db()
    t.send_answer(received, admin, on=date(2025, 2, 14))
    assert received.state == State.ANSWERED and received.result_type == AnswerType.PARTIAL
    assert received.public_reply.startswith("部分公开")
    clock = received.clock
    assert clock.stopped_on == date(2025, 2, 14) and clock.as_dict(today=date(2025, 3, 1))["met_on_time"]
    with pytest.raises(t.TransitionError):
        t.withdraw(received, admin)


def test_withdrawal_and_remedies(received, admin):
    with pytest.raises(t.TransitionError) as exc:
        t.record_remedy(received, admin, RemedyKind.RECONSIDERATION, date(2025, 3, 1))
    assert exc.value.code == "not_answered"
    t.withdraw(received, admin, "申请人来电撤回", on=date(2025, 1, 23))
    assert (received.state, received.result_type, received.result_reason) == (
        State.WITHDRAWN,
        AnswerType.OTHER,
        "other",
    )
    remedy = t.record_remedy(received, admin, RemedyKind.LAWSUIT_DIRECT, date(2025, 3, 1), "汉滨区人民法院")
    assert remedy.outcome == RemedyOutcome.PENDING
    with pytest.raises(t.TransitionError):
        t.decide_remedy(remedy, admin, RemedyOutcome.UPHELD, date(2025, 2, 1))
    t.decide_remedy(remedy, admin, RemedyOutcome.UPHELD, date(2025, 6, 1))
    remedy.refresh_from_db()
    assert remedy.outcome == RemedyOutcome.UPHELD and remedy.history.first().history_user == admin


def test_every_change_is_in_the_history_with_its_actor(received, admin, department):
    t.start_check(received, admin)
    t.assign(received, admin, department("jiaojing"), "转办单：请办理", on=date(2025, 1, 21))
    records = list(received.history.order_by("history_date", "history_id"))
    assert [r.history_change_reason for r in records] == ["received", "first check", "assigned to jiaojing"]
    assert all(r.history_user == admin for r in records)
    assert records[-1].transfer_note == "转办单：请办理"
    # The query code's hash is never copied into the history.
    assert not hasattr(records[-1], "query_code_hash")


def test_wrong_state_is_refused_and_changes_nothing(received, admin):
    with pytest.raises(t.TransitionError) as exc:
        t.record_correction(received, admin, "x")
    assert exc.value.code == "wrong_state"
    received.refresh_from_db()
    assert received.state == State.RECEIVED and received.history.count() == 1


def test_close_lapsed_requests_command(received, admin, department, ankang):
    import io

    from django.core.management import call_command

    t.request_correction(received, admin, "请补充", on=date(2025, 1, 21))
    other, _code, _ = t.submit(ankang, APPLICANT, channel=Channel.POST, channel_date=date(2025, 1, 20))
    t.assign(other, admin, department("jiaojing"), on=date(2025, 1, 21))
    t.notify_fee(other, admin, Decimal("100"), "按件计收", on=date(2025, 1, 22))
    fresh, _code, _ = t.submit(ankang, APPLICANT)
    out = io.StringIO()
    call_command("close_lapsed_requests", "--dry-run", stdout=out)
    assert "2 request(s) to close" in out.getvalue()
    assert DisclosureRequest.objects.filter(state=State.ABANDONED).count() == 0
    call_command("close_lapsed_requests", stdout=out)
    received.refresh_from_db()
    other.refresh_from_db()
    fresh.refresh_from_db()
    assert (received.state, received.result_reason) == (State.ABANDONED, "correction_lapsed")
    assert (other.state, other.result_reason) == (State.ABANDONED, "fee_unpaid")
    assert fresh.state == State.RECEIVED
