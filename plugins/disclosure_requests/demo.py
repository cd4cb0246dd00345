"""Demo disclosure requests for `manage.py setup_demo`: a handful of requests in different states, so the
admin's lists, the dashboard panel, the status lookup and the annual report have something to show.

Idempotent: each demo request carries the idempotency key `demo-<n>` and is created only once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model

from cms.deadlines.calendar import CHINA_TZ, local_today
from cms.models import Portal

from . import transitions as t
from .choices import AnswerType, Channel, OrganisationKind, State
from .models import DisclosureRequest, rules_for

PERSON = {
    "applicant_type": "person",
    "id_type": "居民身份证",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "address": "陕西省安康市汉滨区示例路1号",
    "postcode": "725000",
}

#: (key, applicant and information, channel, days before today it was received, where it stops).
DEMO = [
    (
        "demo-1",
        {
            "applicant_name": "王某某",
            "info_title": "2025年全市道路交通事故统计数据",
            "info_description": "2025年安康市道路交通事故起数、死亡人数、受伤人数。",
            "purpose": "学术研究",
        },
        Channel.ONLINE,
        0,
        "received",
    ),
    (
        "demo-2",
        {"applicant_name": "李某", "info_title": "户籍迁移办理依据", "info_description": "户口迁入城区的政策文件。"},
        Channel.POST,
        5,
        "checking",
    ),
    (
        "demo-3",
        {
            "applicant_name": "赵某",
            "info_title": "某路段电子警察设置依据",
            "info_description": "某路口的设置审批文件。",
        },
        Channel.IN_PERSON,
        4,
        "correction",
    ),
    (
        "demo-4",
        {
            "applicant_type": "organisation",
            "organisation_kind": OrganisationKind.BUSINESS,
            "applicant_name": "安康某运输有限公司",
            "legal_representative": "周某",
            "contact_person": "孙某",
            "info_title": "2025年危险品运输车辆通行证发放情况",
            "info_description": "发放数量及审批依据。",
        },
        Channel.EMAIL,
        24,
        "assigned",
    ),
    (
        "demo-5",
        {
            "applicant_name": "钱某",
            "info_title": "某小区周边治安案件统计",
            "info_description": "2025年某小区周边110接报警情况汇总。",
        },
        Channel.FAX,
        40,
        "drafting",
    ),
    (
        "demo-6",
        {
            "applicant_name": "吴某",
            "info_title": "出入境证件办理收费标准",
            "info_description": "护照、往来港澳通行证收费依据。",
        },
        Channel.ONLINE,
        30,
        "answered",
    ),
]


def _days_ago(days: int) -> date:
    return local_today() - timedelta(days=days)


def load_demo(portal: Portal) -> list[str]:
    """Create the demo requests of `portal` that do not exist yet; return their numbers."""
    User = get_user_model()
    actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    rules = rules_for(portal)
    police = portal.departments.filter(kind="police_type")
    department = police.filter(code="churujing").first() or police.first()
    created: list[str] = []
    for key, fields, channel, days_ago, stop in DEMO:
        if DisclosureRequest.objects.filter(portal=portal, idempotency_key=key).exists():
            continue
        received = _days_ago(days_ago)
        req, _code, _new = t.submit(
            portal,
            {**PERSON, **fields},
            channel=channel,
            channel_date=None if channel == Channel.ONLINE else received,
            submitted_at=datetime.combine(received, time(9, 30), tzinfo=CHINA_TZ),
            user=actor,
            idempotency_key=key,
        )
        created.append(req.number)
        received = req.received_on
        if stop == "received":
            continue
        t.start_check(req, actor)
        if stop == "checking":
            continue
        if stop == "correction":
            t.request_correction(req, actor, "请写明所需文件的路口名称或文号。", on=received)
            continue
        target = department or rules.office or portal.departments.first()
        t.assign(req, actor, target, "请按期办理并拟写答复书。", on=received)
        if stop == "assigned":
            continue
        t.draft_answer(
            req,
            actor,
            answer_type=AnswerType.DISCLOSE,
            body="经查，您申请的信息属于可以公开的政府信息，现予以提供，详见附件。",
            public_summary="予以公开：所申请信息已随答复书提供。",
        )
        if stop == "drafting":
            continue
        _approve_and_send(req, actor, received)
    return created


def _approve_and_send(req: DisclosureRequest, actor, received: date) -> None:
    """Take the demo answer through the portal's answer chain (every step approved by the demo superuser, as
    the real reviewers would) and send it."""
    answer = req.answer
    if answer.get_workflow() is not None:
        t.submit_answer(req, actor)
        for _step in range(20):
            answer.refresh_from_db()
            task_state = answer.current_workflow_task_state
            if task_state is None:
                break
            task_state.task.specific.on_action(task_state, actor, "approve", comment="演示数据：同意。")
    else:  # no chain configured: publish as the last approval would
        answer.save_revision(user=actor).publish(user=None)  # code publishes: no user may by hand
    req.refresh_from_db()
    if req.state != State.APPROVED:  # no chain: the demo stands in for the approval
        DisclosureRequest.objects.filter(pk=req.pk).update(state=State.APPROVED)
        req.refresh_from_db()
    t.send_answer(req, actor, on=min(local_today(), received + timedelta(days=10)))
