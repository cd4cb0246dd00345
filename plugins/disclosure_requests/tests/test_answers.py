"""Answers through the portal's answer chain: in Python, through the admin (Wagtail's workflow UI) and
through the staff API; the review ledger records every decision on the answer."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from cms.review.models import STEP_NOT_NEEDED, Decision, ReviewLedgerEntry
from plugins.disclosure_requests import transitions as t
from plugins.disclosure_requests.choices import AnswerType, State

from .answer_fixtures import approve, assigned, current_step, office_admin, reviewers  # noqa: F401

EDIT = "/admin/snippets/disclosure_requests/answer/edit/{}/"


def form(**changes) -> dict:
    """The answer form as the edit view posts it."""
    data = {
        "answer_type": "disclose",
        "reason": "",
        "body": "予以公开。",
        "already_public_at": "",
        "right_organ": "",
        "public_summary": "予以公开",
        "template": "",
    }
    data.update(changes)
    return data


def test_the_chain_from_draft_to_answered(assigned, office_admin, reviewers):  # noqa: F811
    answer = t.draft_answer(
        assigned,
        reviewers["editor"],
        answer_type=AnswerType.WITHHOLD,
        reason="third_party",
        body="经征求第三方意见，该信息涉及第三方商业秘密。",
        public_summary="不予公开：涉及第三方合法权益。",
        needs_legal_review=True,
    )
    t.submit_answer(assigned, reviewers["editor"])
    assigned.refresh_from_db()
    assert assigned.state == State.APPROVING
    assert current_step(answer).endswith("部门负责人审核")
    with pytest.raises(PermissionDenied):
        approve(answer, reviewers["stranger"])
    with pytest.raises(PermissionDenied):
        approve(answer, reviewers["editor"])  # the drafter is not the head
    approve(answer, reviewers["head"])
    # not flagged for secrecy: passed automatically; flagged for legal: waits for the legal office
    assert current_step(answer).endswith("法制审核")
    with pytest.raises(PermissionDenied):
        approve(answer, reviewers["proofread"])
    approve(answer, reviewers["legal"], "符合第十五条")
    assert current_step(answer).endswith("办公室核稿")
    with pytest.raises(PermissionDenied):
        approve(answer, reviewers["leader"])  # not the leader's turn yet
    approve(answer, reviewers["proofread"])
    assert current_step(answer).endswith("分管局领导审批")
    approve(answer, reviewers["leader"], "同意答复")
    answer.refresh_from_db()
    assigned.refresh_from_db()
    assert answer.live and assigned.state == State.APPROVED
    t.send_answer(assigned, office_admin, on=date(2025, 3, 20))
    assigned.refresh_from_db()
    assert (assigned.state, assigned.result_type, assigned.result_reason) == (
        State.ANSWERED,
        AnswerType.WITHHOLD,
        "third_party",
    )
    assert assigned.public_reply == "不予公开：涉及第三方合法权益。"

    ledger = list(ReviewLedgerEntry.for_item(answer).order_by("decided_at", "pk"))
    steps = [(e.task_name.split("·")[-1], e.decision, e.opinion, e.reviewer_id) for e in ledger]
    assert steps == [
        ("部门负责人审核", Decision.APPROVED, "同意", reviewers["head"].pk),
        ("保密审查", Decision.APPROVED, STEP_NOT_NEEDED, None),
        ("法制审核", Decision.APPROVED, "符合第十五条", reviewers["legal"].pk),
        ("办公室核稿", Decision.APPROVED, "同意", reviewers["proofread"].pk),
        ("分管局领导审批", Decision.APPROVED, "同意答复", reviewers["leader"].pk),
        ("", Decision.PUBLISHED, "", reviewers["editor"].pk),  # the author of the version that went live
    ]
    assert all(e.portal_id == assigned.portal_id and e.department.code == "jiaojing" for e in ledger)
    assert all(e.page_id is None and e.page_title.startswith(assigned.number) and e.content_hash for e in ledger)


def test_a_flagged_secrecy_step_waits_for_the_secrecy_office(assigned, reviewers):  # noqa: F811
    answer = t.draft_answer(
        assigned, reviewers["editor"], answer_type=AnswerType.DISCLOSE, body="予以公开", needs_secrecy_review=True
    )
    t.submit_answer(assigned, reviewers["editor"])
    approve(answer, reviewers["head"])
    assert current_step(answer).endswith("保密审查")
    with pytest.raises(PermissionDenied):
        approve(answer, reviewers["legal"])
    approve(answer, reviewers["secrecy"], "不涉密")
    assert current_step(answer).endswith("办公室核稿")  # legal review not flagged: passed by itself
    entries = ReviewLedgerEntry.for_item(answer).filter(opinion=STEP_NOT_NEEDED)
    assert [e.task_name.split("·")[-1] for e in entries] == ["法制审核"]


def test_request_for_changes_returns_to_drafting(assigned, reviewers):  # noqa: F811
    answer = t.draft_answer(assigned, reviewers["editor"], answer_type=AnswerType.DISCLOSE, body="予以公开")
    t.submit_answer(assigned, reviewers["editor"])
    approve(answer, reviewers["head"])
    answer.refresh_from_db()
    task_state = answer.current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewers["proofread"], "reject", comment="请补充依据")
    assigned.refresh_from_db()
    assert assigned.state == State.DRAFTING
    t.draft_answer(assigned, reviewers["editor"], body="予以公开，依据第三十六条")
    t.submit_answer(assigned, reviewers["editor"])
    assigned.refresh_from_db()
    assert assigned.state == State.APPROVING
    assert current_step(answer).endswith("办公室核稿")  # resumed where changes were asked for
    rejected = ReviewLedgerEntry.for_item(answer).get(decision=Decision.REJECTED)
    assert rejected.opinion == "请补充依据" and rejected.reviewer == reviewers["proofread"]


def test_an_incomplete_answer_is_not_submitted(assigned, reviewers):  # noqa: F811
    with pytest.raises(t.TransitionError):
        t.draft_answer(assigned, reviewers["editor"], answer_type=AnswerType.WITHHOLD, body="x")  # no reason
    with pytest.raises(t.TransitionError):
        t.submit_answer(assigned, reviewers["editor"])  # nothing drafted
    assigned.refresh_from_db()
    assert assigned.state == State.ASSIGNED


def test_drafting_submitting_and_approving_in_the_admin(client, assigned, reviewers):  # noqa: F811
    answer = t.draft_answer(assigned, reviewers["editor"], answer_type=AnswerType.DISCLOSE, body="初稿")
    client.force_login(reviewers["editor"])
    page = client.get(EDIT.format(answer.pk))
    assert page.status_code == 200 and 'name="action-submit"' in page.content.decode()
    # a reason that does not fit the type is refused with the field's message; nothing is submitted
    bad = client.post(EDIT.format(answer.pk), {**form(reason="third_party"), "action-submit": "action-submit"})
    assert bad.status_code == 200
    assigned.refresh_from_db()
    assert assigned.state == State.DRAFTING
    response = client.post(
        EDIT.format(answer.pk), {**form(body="<b>予以公开</b>，见附件。"), "action-submit": "action-submit"}
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assigned.refresh_from_db()
    assert answer.body == "予以公开，见附件。" and assigned.state == State.APPROVING
    assert current_step(answer).endswith("部门负责人审核")
    # while the answer is under review the drafter may look, not change
    assert client.get(EDIT.format(answer.pk)).status_code == 200
    assert client.post(EDIT.format(answer.pk), form(body="改")).status_code in (302, 403)
    answer.refresh_from_db()
    assert answer.body == "予以公开，见附件。"

    client.force_login(reviewers["head"])
    edit = client.get(EDIT.format(answer.pk))
    assert edit.status_code == 200 and "workflow-action" in edit.content.decode().replace("_", "-")
    task_state = answer.current_workflow_task_state
    url = f"/admin/snippets/disclosure_requests/answer/workflow/action/{answer.pk}/approve/{task_state.pk}/"
    client.force_login(reviewers["stranger"])
    assert client.post(url, {"comment": "我来批"}).status_code in (302, 403)
    assert current_step(answer).endswith("部门负责人审核")
    client.force_login(reviewers["head"])
    assert client.post(url, {"comment": "同意"}).status_code in (200, 302)
    assert current_step(answer).endswith("办公室核稿")
    # the leader sees the answer in the listing only when it is the leader's turn
    client.force_login(reviewers["leader"])
    assert str(answer) not in client.get("/admin/snippets/disclosure_requests/answer/").content.decode()
    approve(answer, reviewers["proofread"])
    assert str(answer) in client.get("/admin/snippets/disclosure_requests/answer/").content.decode()
    task_state = answer.current_workflow_task_state
    url = f"/admin/snippets/disclosure_requests/answer/workflow/action/{answer.pk}/approve/{task_state.pk}/"
    assert client.post(url, {"comment": "同意答复"}).status_code in (200, 302)
    answer.refresh_from_db()
    assigned.refresh_from_db()
    assert answer.live and assigned.state == State.APPROVED
    # once approved, nobody changes it any more (only the approved text is sent)
    client.force_login(reviewers["editor"])
    assert client.post(EDIT.format(answer.pk), form(body="改过")).status_code in (302, 403)
    answer.refresh_from_db()
    assert answer.body == "予以公开，见附件。" and not answer.has_unpublished_changes


def test_nobody_publishes_an_answer_by_hand(client, assigned, office_admin, reviewers):  # noqa: F811
    answer = t.draft_answer(assigned, reviewers["editor"], answer_type=AnswerType.DISCLOSE, body="初稿")
    client.force_login(office_admin)  # not even a superuser is offered the button
    assert 'name="action-publish"' not in client.get(EDIT.format(answer.pk)).content.decode()
    client.force_login(reviewers["head"])
    client.post(EDIT.format(answer.pk), {**form(), "action-publish": "action-publish"})
    answer.refresh_from_db()
    assigned.refresh_from_db()
    assert not answer.live and assigned.state == State.DRAFTING


def test_cancelling_the_chain_in_the_admin_returns_to_drafting(client, assigned, office_admin, reviewers):  # noqa: F811
    answer = t.draft_answer(assigned, reviewers["editor"], answer_type=AnswerType.DISCLOSE, body="初稿")
    t.submit_answer(assigned, reviewers["editor"])
    answer.refresh_from_db()
    answer.current_workflow_state.cancel(user=office_admin)
    assigned.refresh_from_db()
    assert assigned.state == State.DRAFTING
    t.submit_answer(assigned, reviewers["editor"])  # a new run of the chain, from its first step
    assert current_step(answer).endswith("部门负责人审核")


def test_other_departments_cannot_open_the_answer(client, assigned, reviewers):  # noqa: F811
    answer = t.draft_answer(assigned, reviewers["editor"], answer_type=AnswerType.DISCLOSE, body="初稿")
    revision = answer.latest_revision
    client.force_login(reviewers["stranger"])
    base = "/admin/snippets/disclosure_requests/answer"
    for url in (
        f"{base}/edit/{answer.pk}/",
        f"{base}/history/{answer.pk}/",
        f"{base}/history/{answer.pk}/revisions/compare/earliest...latest/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "初稿" not in response.content.decode()
    client.post(f"{base}/history/{answer.pk}/revisions/{revision.pk}/revert/", form(body="别人改的"))
    answer.refresh_from_db()
    assert answer.body == "初稿"
    assert str(answer) not in client.get(f"{base}/").content.decode()


def test_reviewers_decide_through_the_staff_api(client, assigned, reviewers):  # noqa: F811
    from api.models import UserToken

    t.draft_answer(assigned, reviewers["editor"], answer_type=AnswerType.DISCLOSE, body="予以公开")
    t.submit_answer(assigned, reviewers["editor"])
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
