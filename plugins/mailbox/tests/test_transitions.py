"""A letter's way from intake to the reply, through the profile's rules and ankang's reply chain."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied

from cms.deadlines.calendar import CHINA_TZ
from cms.review.models import Decision, ReviewLedgerEntry
from plugins.mailbox import transitions as t
from plugins.mailbox.choices import Complexity, State
from plugins.mailbox.models import DEPARTMENT_CLOCK, Letter, MailboxRules, rules_for

from .helpers import WRITER, approve, current_step


def test_the_profile_loads_rules_kinds_boxes_and_the_chain(ankang, box):
    rules = rules_for(ankang)
    assert rules.pk and rules.office.code == "xinfang" and rules.max_extension_days == 15
    steps = [s.task.name for s in rules.reply_workflow.workflow_tasks.order_by("sort_order")]
    assert steps == [
        "安康公安·信件答复·部门负责人审核",
        "安康公安·信件答复·分管局领导审批",
        "安康公安·信件答复·栏目管理员发布",
    ]
    jubao = box("jubao")
    assert jubao.department.code == "jiwei" and jubao.column.profile_key == "jmhd/jbts"
    assert [k.key for k in jubao.kinds.all()] == ["complaint"]
    assert box("juzhang").templates.filter(title="已转办").exists()


def test_submission_numbers_the_letter_and_starts_the_reply_clock(make_letter):
    first = make_letter()
    second = make_letter(subject="第二封")
    assert (first.number, second.number) == ("信2026-0001", "信2026-0002")
    assert len(first.query_code) == 8 and first.check_query_code(first.query_code.lower())
    assert not first.check_query_code("WRONG123")
    clock = first.reply_clock
    assert (clock.start_date, clock.limit_days, clock.due_date) == (date(2026, 3, 2), 7, date(2026, 3, 11))
    assert clock.max_extension_days == 15 and first.state == State.RECEIVED and not first.is_emergency
    history = list(first.history.values_list("history_change_reason", flat=True))
    assert history == ["received"]


def test_a_kind_the_box_does_not_take_is_refused_and_nothing_is_stored(ankang, box, kind):
    with pytest.raises(t.TransitionError) as exc:
        t.submit(ankang, box("jubao"), kind("consultation"), WRITER)
    assert "不受理此类来信" in exc.value.messages[0]
    assert not Letter.objects.exists()


def test_an_emergency_is_flagged(make_letter):
    letter = make_letter(subject="救命", content="楼下有人持刀砍人，快来人！")
    assert letter.is_emergency


def test_route_answer_reply_and_the_chain(make_letter, staff, department):
    letter = make_letter()
    t.triage(letter, staff["office"], Complexity.SIMPLE)
    routing = t.route(letter, staff["office"], department("huzheng"), "请户政科答复", on=date(2026, 3, 3))
    assert letter.state == State.ROUTED and letter.department.code == "huzheng"
    dept_clock = letter.clock_of(DEPARTMENT_CLOCK)
    assert (dept_clock.start_date, dept_clock.due_date) == (date(2026, 3, 3), date(2026, 3, 6))  # 3 working days
    t.answer_routing(letter, staff["huzheng"], "经核实，材料已齐全，将于3月10日前办结。", on=date(2026, 3, 5))
    routing.refresh_from_db()
    dept_clock.refresh_from_db()
    assert routing.answered_on == date(2026, 3, 5) and dept_clock.stopped_on == date(2026, 3, 5)
    assert letter.state == State.ANSWERED
    reply = t.draft_reply(letter, staff["huzheng"], "您好！经核实，您的户口迁移材料已齐全，将于3月10日前办结。")
    t.submit_reply(letter, staff["huzheng"])
    assert letter.state == State.APPROVING and current_step(reply).endswith("部门负责人审核")
    with pytest.raises(PermissionDenied):
        approve(reply, staff["stranger"])
    with pytest.raises(PermissionDenied):
        approve(reply, staff["office_head"])  # the petitions office's head is not the huzheng head
    approve(reply, staff["huzheng_head"])
    assert current_step(reply).endswith("分管局领导审批")
    approve(reply, staff["leader"], "同意答复")
    assert current_step(reply).endswith("栏目管理员发布")
    with pytest.raises(PermissionDenied):
        approve(reply, staff["huzheng"])
    approve(reply, staff["office_admin"])  # the administrator of 局长信箱 (信访科) replies
    letter.refresh_from_db()
    reply.refresh_from_db()
    assert reply.live and letter.state == State.REPLIED and letter.replied_on is not None
    assert letter.reply_clock.stopped_on == letter.replied_on
    ledger = list(ReviewLedgerEntry.for_item(reply).order_by("decided_at", "pk"))
    assert [(e.task_name.split("·")[-1], e.decision) for e in ledger][:3] == [
        ("部门负责人审核", Decision.APPROVED),
        ("分管局领导审批", Decision.APPROVED),
        ("栏目管理员发布", Decision.APPROVED),
    ]
    assert all(e.page_title.startswith(letter.number) and "王小明" not in e.page_title for e in ledger)
    reasons = list(letter.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == [
        "received",
        "triaged: consultation, simple",
        "routed to huzheng",
        "answered by huzheng",
        "reply drafted",
        "reply submitted for approval",
        "replied",
    ]


def test_changes_requested_send_the_reply_back(make_letter, staff):
    letter = make_letter()
    t.triage(letter, staff["office"], Complexity.SIMPLE)
    reply = t.draft_reply(letter, staff["office"], "当场答复：请携带身份证到派出所办理。")
    t.submit_reply(letter, staff["office"])
    reply.refresh_from_db()
    task_state = reply.current_workflow_task_state
    task_state.task.specific.on_action(task_state, staff["office_head"], "reject", comment="请补充办理地点")
    letter.refresh_from_db()
    assert letter.state == State.DRAFTING
    t.draft_reply(letter, staff["office"], "当场答复：请携带身份证到汉滨区政务服务中心户政窗口办理。")
    t.submit_reply(letter, staff["office"])
    assert current_step(reply).endswith("部门负责人审核")  # resumed at the step that asked


def test_triage_sets_the_limit_by_complexity_in_ningxia(db, ankang):
    import io

    from django.core.management import call_command

    from cms.models import Portal
    from plugins.mailbox.models import Box, LetterKind

    call_command("load_profile", "ningxia", stdout=io.StringIO())
    ningxia = Portal.objects.get(profile="ningxia")
    complaint = LetterKind.objects.get(portal=ningxia, key="complaint")
    box = Box.objects.get(portal=ningxia, key="tousu")
    when = datetime(2026, 3, 2, 10, 0, tzinfo=CHINA_TZ)
    letter, _code, _ = t.submit(ningxia, box, complaint, WRITER, submitted_at=when)
    assert letter.reply_clock.due_date == date(2026, 3, 11)  # 7 working days (一般涉警投诉)
    with pytest.raises(t.TransitionError):
        t.triage(letter, None, Complexity.MAJOR)  # complaints know 7 and 15 only
    t.triage(letter, None, Complexity.COMPLEX)
    assert letter.reply_clock.due_date == date(2026, 3, 23)  # 15 working days
    assert rules_for(ningxia).max_extension_days == 0
    with pytest.raises(t.TransitionError):
        t.extend(letter, _superuser(), 5, "复杂")


def _superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("ningxia-admin", password="pw-123456")


def test_extension_needs_a_leader_and_is_told(make_letter, staff):
    letter = make_letter()
    with pytest.raises(t.TransitionError):
        t.extend(letter, staff["office_head"], 10, "需调取档案")
    t.extend(letter, staff["leader"], 10, "需调取档案核实")
    clock = letter.reply_clock
    assert clock.extension_days == 10 and clock.extension_reason == "需调取档案核实"
    assert clock.due_date == date(2026, 3, 25)
    with pytest.raises(t.TransitionError):
        t.extend(letter, staff["leader"], 3, "再延")


def test_close_without_reply(make_letter, staff):
    letter = make_letter(content="满篇谩骂的内容")
    with pytest.raises(t.TransitionError):
        t.close_without_reply(letter, staff["office"], "out_of_scope")  # needs the right channel
    t.close_without_reply(letter, staff["office"], "abusive", on=date(2026, 3, 3))
    letter.refresh_from_db()
    assert letter.state == State.CLOSED and letter.close_reason == "abusive"
    assert letter.reply_clock.stopped_on == date(2026, 3, 3)
    with pytest.raises(t.TransitionError):
        t.route(letter, staff["office"], letter.box.department)


def test_no_chain_no_submission(make_letter, staff, ankang):
    letter = make_letter()
    t.triage(letter, staff["office"], Complexity.SIMPLE)
    t.draft_reply(letter, staff["office"], "答复")
    MailboxRules.objects.filter(portal=ankang).update(reply_workflow=None)
    with pytest.raises(t.TransitionError) as exc:
        t.submit_reply(letter, staff["office"])
    assert exc.value.code == "no_chain"
    letter.refresh_from_db()
    assert letter.state == State.DRAFTING
