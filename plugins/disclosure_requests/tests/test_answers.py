"""Answers through the review chain, the profile section, and the answer letters (DOCX)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from cms.review.models import STEP_NOT_NEEDED, ReviewLedgerEntry
from plugins.disclosure_requests import transitions as t
from plugins.disclosure_requests.choices import REASONS, AnswerType, Channel, State
from plugins.disclosure_requests.letters import render_letter, render_text
from plugins.disclosure_requests.models import LetterTemplate, rules_for

APPLICANT = {
    "applicant_name": "张三",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "info_title": "2025年交通事故统计",
    "info_description": "全市2025年交通事故起数",
}


@pytest.fixture
def office_admin(django_user_model):
    return django_user_model.objects.create_superuser("answers-admin", password="pw-123456")


@pytest.fixture
def assigned(ankang, office_admin, department):
    req, _code, _ = t.submit(ankang, APPLICANT, channel=Channel.POST, channel_date=date(2025, 3, 3))
    t.assign(req, office_admin, department("jiaojing"), "请办理", on=date(2025, 3, 4))
    return req


@pytest.fixture
def reviewers(member):
    return {
        "head": member("jiaojing", "heads", "jiaojing-head"),
        "secrecy": member("baomi", "heads", "baomi-head"),
        "legal": member("fazhi", "heads", "fazhi-head"),
        "proofread": member("mishu", "heads", "mishu-head"),
        "leader": member("juling", "heads", "juling-head"),
        "stranger": member("xingjing", "heads", "xingjing-head"),
    }


def approve(answer, user, comment="同意"):
    answer.refresh_from_db()
    task_state = answer.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, "approve", comment=comment)


def current_step(answer) -> str:
    answer.refresh_from_db()
    state = answer.current_workflow_task_state
    return state.task.name if state else ""


def test_ankang_profile_loads_the_rules_and_the_chain(ankang):
    rules = rules_for(ankang)
    assert rules.pk and rules.office.code == "mishu"
    assert (rules.limit_days, rules.max_extension_days, rules.correction_days) == (20, 20, 7)
    steps = [t.task.name for t in rules.answer_workflow.workflow_tasks.order_by("sort_order")]
    assert steps == [
        f"安康公安·答复·{n}" for n in ("部门负责人审核", "保密审查", "法制审核", "办公室核稿", "分管局领导审批")
    ]
    out = io.StringIO()
    call_command("load_profile", "ankang", stdout=out)
    assert "created: 0, updated: 0" in out.getvalue()
    assert LetterTemplate.objects.filter(portal__isnull=True).count() >= len(AnswerType.values)


def test_ningxia_has_15_plus_15_days(db, ankang):
    call_command("load_profile", "ningxia", stdout=io.StringIO())
    from cms.models import Portal

    ningxia = Portal.objects.get(profile="ningxia")
    rules = rules_for(ningxia)
    assert (rules.limit_days, rules.max_extension_days) == (15, 15)
    assert rules.office.code == "zhengwugongkai"
    req, _code, _ = t.submit(ningxia, APPLICANT, channel=Channel.POST, channel_date=date(2025, 1, 20))
    assert req.clock.due_date == date(2025, 2, 14)  # 15 working days (docs/deadlines.md)


def test_bad_section_gives_errors_with_lines(tmp_path):
    from cms.profiles.schema import ProfileValidationError, read_profile

    text = Path("profiles/ningxia.yaml").read_text(encoding="utf-8")
    text = text.replace("  limit_days: 15 ", "  limit_days: 99 ").replace(
        "answer_chain: [department_head, secrecy, legal, proofread, leader]",
        "answer_chain: [department_head, column_admin, leader, leader]",
    )
    path = tmp_path / "ningxia.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileValidationError) as exc:
        read_profile(str(path))
    errors = "\n".join(exc.value.errors)
    assert "disclosure_requests.limit_days (line" in errors and "from 1 to 60" in errors
    assert "unknown step 'column_admin'" in errors and "step 'leader' appears twice" in errors


def test_the_chain_from_draft_to_answered(assigned, office_admin, reviewers):
    answer = t.draft_answer(
        assigned,
        reviewers["head"],
        answer_type=AnswerType.WITHHOLD,
        reason="third_party",
        body="经征求第三方意见，该信息涉及第三方商业秘密。",
        public_summary="不予公开：涉及第三方合法权益。",
        needs_legal_review=True,
    )
    t.submit_answer(assigned, reviewers["head"])
    assigned.refresh_from_db()
    assert assigned.state == State.APPROVING
    assert current_step(answer).endswith("部门负责人审核")
    with pytest.raises(PermissionDenied):
        approve(answer, reviewers["stranger"])
    approve(answer, reviewers["head"])
    # not flagged for secrecy: passed automatically; flagged for legal: waits for the legal office
    assert current_step(answer).endswith("法制审核")
    with pytest.raises(PermissionDenied):
        approve(answer, reviewers["proofread"])
    approve(answer, reviewers["legal"], "符合第十五条")
    assert current_step(answer).endswith("办公室核稿")
    approve(answer, reviewers["proofread"])
    assert current_step(answer).endswith("分管局领导审批")
    approve(answer, reviewers["leader"], "同意答复")
    answer.refresh_from_db()
    assigned.refresh_from_db()
    assert answer.live and assigned.state == State.APPROVED
    t.send_answer(assigned, office_admin, on=date(2025, 3, 20))
    assert (assigned.state, assigned.result_type, assigned.result_reason) == (
        State.ANSWERED,
        AnswerType.WITHHOLD,
        "third_party",
    )
    assert assigned.public_reply == "不予公开：涉及第三方合法权益。"
    ledger = list(ReviewLedgerEntry.objects.filter(page__isnull=True, page_title__startswith=assigned.number))
    decisions = {(e.task_name.split("·")[-1], e.opinion) for e in ledger}
    assert ("保密审查", STEP_NOT_NEEDED) in decisions and ("法制审核", "符合第十五条") in decisions
    assert all(e.portal_id == assigned.portal_id for e in ledger)


def test_request_for_changes_returns_to_drafting(assigned, reviewers):
    answer = t.draft_answer(assigned, reviewers["head"], answer_type=AnswerType.DISCLOSE, body="予以公开")
    t.submit_answer(assigned, reviewers["head"])
    answer.refresh_from_db()
    task_state = answer.current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewers["head"], "reject", comment="请补充依据")
    assigned.refresh_from_db()
    assert assigned.state == State.DRAFTING
    t.draft_answer(assigned, reviewers["head"], body="予以公开，依据第三十六条")
    t.submit_answer(assigned, reviewers["head"])
    assigned.refresh_from_db()
    assert assigned.state == State.APPROVING


def test_approval_through_the_admin(client, assigned, reviewers):
    answer = t.draft_answer(assigned, reviewers["head"], answer_type=AnswerType.DISCLOSE, body="予以公开")
    t.submit_answer(assigned, reviewers["head"])
    answer.refresh_from_db()
    client.force_login(reviewers["head"])
    edit = client.get(f"/admin/snippets/disclosure_requests/answer/edit/{answer.pk}/")
    assert edit.status_code == 200 and "workflow-action" in edit.content.decode().replace("_", "-")
    task_state = answer.current_workflow_task_state
    url = f"/admin/snippets/disclosure_requests/answer/workflow/action/{answer.pk}/approve/{task_state.pk}/"
    response = client.post(url, {"comment": "同意"})
    assert response.status_code in (200, 302)
    assert current_step(answer).endswith("办公室核稿")
    client.force_login(reviewers["stranger"])
    assert client.get(f"/admin/snippets/disclosure_requests/answer/edit/{answer.pk}/").status_code in (302, 403)


@pytest.mark.parametrize("answer_type", AnswerType.values)
def test_a_letter_for_every_answer_type(assigned, office_admin, answer_type):
    from docx import Document

    reason = next(iter(REASONS[answer_type]), "")
    answer = t.draft_answer(
        assigned,
        office_admin,
        answer_type=answer_type,
        reason=reason,
        body="答复正文。",
        right_organ="安康市交通运输局" if reason == "not_held" else "",
    )
    document = Document(io.BytesIO(render_letter(answer, today=date(2025, 3, 20))))
    text = [p.text for p in document.paragraphs]
    assert text[0] == "政府信息公开申请答复书"
    assert text[2] == "张三："
    body = "\n".join(text)
    assert assigned.number in body and "2025年3月3日" in body and "答复正文。" in body
    assert "安康市公安局" in text[-3] and text[-2] == "2025年3月20日" and text[-1] == "（印章）"
    assert "六十日内" in body and "六个月内" in body
    if reason == "not_held":
        assert "安康市交通运输局" in body and "第三十六条" in body
    if answer_type == AnswerType.WITHHOLD:
        assert "属于国家秘密" in body and "第十四条" in body


def test_already_public_points_to_where_it_is(assigned, office_admin):
    answer = t.draft_answer(
        assigned,
        office_admin,
        answer_type=AnswerType.DISCLOSE,
        body="该信息已主动公开。",
        already_public_at="安康市公安局门户网站“信息公开”栏目",
    )
    assert "您可以通过以下方式获取：安康市公安局门户网站“信息公开”栏目" in render_text(answer)[1]


def test_the_most_specific_template_wins(assigned, office_admin, ankang):
    answer = t.draft_answer(assigned, office_admin, answer_type=AnswerType.NOT_PROCESSED, reason="repeated", body="x")
    assert "不予处理" in render_text(answer)[1]
    LetterTemplate.objects.create(
        answer_type="not_processed", reason="repeated", name="全局重复申请", body="全局{{ reason }}"
    )
    assert render_text(answer)[1] == "全局重复申请"
    LetterTemplate.objects.create(portal=ankang, answer_type="not_processed", name="本局不予处理", body="本局通用")
    assert render_text(answer)[1] == "本局通用"  # the portal's own template before a global one
    LetterTemplate.objects.create(
        portal=ankang, answer_type="not_processed", reason="repeated", name="本局重复", body="本局重复"
    )
    assert render_text(answer)[1] == "本局重复"


def test_letter_download_needs_sight_of_the_request(client, assigned, office_admin, reviewers):
    answer = t.draft_answer(assigned, office_admin, answer_type=AnswerType.DISCLOSE, body="予以公开")
    url = f"/admin/disclosure-requests/letters/{answer.pk}/"
    client.force_login(reviewers["head"])  # the handling department
    response = client.get(url)
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(reviewers["stranger"])
    denied = client.get(url)  # Wagtail turns PermissionDenied into a redirect with a message
    assert denied.status_code in (302, 403) and denied.content[:2] != b"PK"


def test_reviewers_decide_through_the_staff_api(client, assigned, reviewers):
    from api.models import UserToken

    t.draft_answer(assigned, reviewers["head"], answer_type=AnswerType.DISCLOSE, body="予以公开")
    t.submit_answer(assigned, reviewers["head"])
    url = f"/api/disclosure_requests/staff/requests/{assigned.number}/actions/review_answer/"
    _token, key = UserToken.issue(reviewers["leader"], "leader's script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    # not the leader's turn yet: the leader neither sees the request nor decides
    assert client.post(url, {"decision": "approve"}, content_type="application/json", **auth).status_code == 404
    client.force_login(reviewers["head"])
    response = client.post(url, {"decision": "approve", "comment": "同意"}, content_type="application/json")
    assert response.status_code == 200, response.content
    client.force_login(reviewers["proofread"])
    assert client.post(url, {"decision": "approve"}, content_type="application/json").status_code == 200
    client.logout()
    detail = client.get(f"/api/disclosure_requests/staff/requests/{assigned.number}/", **auth)
    assert detail.status_code == 200  # now the leader's turn: the request is visible to the leader
    response = client.post(url, {"decision": "approve", "comment": "同意答复"}, content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["state"] == State.APPROVED
    bad = client.post(url, {"decision": "approve"}, content_type="application/json", **auth)
    assert bad.status_code in (400, 404)
