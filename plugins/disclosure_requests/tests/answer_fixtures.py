"""Fixtures of the answer, letter and profile tests: a request of the ankang portal assigned to the traffic
police (jiaojing), and one reviewer per step of ankang's answer chain."""

from __future__ import annotations

from datetime import date

import pytest

from plugins.disclosure_requests import transitions as t
from plugins.disclosure_requests.choices import Channel

APPLICANT = {
    "applicant_name": "张三",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "info_title": "2025年交通事故统计",
    "info_description": "全市2025年交通事故起数",
}


@pytest.fixture
def office_admin(django_user_model):
    """A superuser of the disclosure office."""
    return django_user_model.objects.create_superuser("answers-admin", password="pw-123456")


@pytest.fixture
def assigned(ankang, office_admin, department):
    """A request received by post on 2025-03-03 and assigned to jiaojing."""
    req, _code, _ = t.submit(ankang, APPLICANT, channel=Channel.POST, channel_date=date(2025, 3, 3))
    t.assign(req, office_admin, department("jiaojing"), "请办理", on=date(2025, 3, 4))
    return req


@pytest.fixture
def reviewers(member):
    """One user per step of ankang's chain, plus a department head with no part in it."""
    return {
        "head": member("jiaojing", "heads", "jiaojing-head"),
        "editor": member("jiaojing", "editors", "jiaojing-editor"),
        "secrecy": member("baomi", "heads", "baomi-head"),
        "legal": member("fazhi", "heads", "fazhi-head"),
        "proofread": member("mishu", "heads", "mishu-head"),
        "leader": member("juling", "heads", "juling-head"),
        "stranger": member("xingjing", "heads", "xingjing-head"),
    }


def approve(answer, user, comment: str = "同意") -> None:
    """Approve the answer's current step as `user` (PermissionDenied for anyone but its approvers)."""
    answer.refresh_from_db()
    task_state = answer.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, "approve", comment=comment)


def current_step(answer) -> str:
    """The name of the answer's current review step ('' when none)."""
    answer.refresh_from_db()
    state = answer.current_workflow_task_state
    return state.task.name if state else ""
