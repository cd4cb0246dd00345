"""Demo letters for `manage.py setup_demo`: letters to each box in different states — new and unread, routed to
a police type, with a draft reply, under approval, replied and published (masked), closed without a reply, an
emergency — so the lists, the dashboard panel, the status lookup, the public list and the statistics have
something to show.

Idempotent: each demo letter carries the idempotency key `demo-letter-<n>` and is created only once. Names and
numbers are invented.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model

from cms.deadlines.calendar import CHINA_TZ, local_today
from cms.deadlines.models import Clock
from cms.models import Portal

from . import transitions as t
from .choices import CloseReason, Complexity
from .models import REPLY_CLOCK, Box, Letter, LetterKind

#: (key, box, kind, days before today it was received, where it stops, writer and letter, reply).
DEMO = [
    (
        "demo-letter-1",
        "juzhang",
        "consultation",
        0,
        "received",
        {
            "name": "刘建华",
            "phone": "13991500001",
            "subject": "新生儿户口登记需要哪些材料",
            "content": "局长您好，我家孩子上周在安康市中心医院出生，请问办理户口登记需要带哪些材料？去哪个派出所办理？",
        },
        "",
    ),
    (
        "demo-letter-2",
        "juzhang",
        "suggestion",
        2,
        "routed",
        {
            "name": "陈晓燕",
            "phone": "13991500002",
            "subject": "建议在江北片区增设夜间巡逻",
            "content": "我住在汉滨区江北街道，最近晚上十点以后路上行人较少，建议增加夜间巡逻，谢谢。",
        },
        "",
    ),
    (
        "demo-letter-3",
        "bangzhu",
        "help",
        3,
        "drafting",
        {
            "name": "马志强",
            "phone": "13991500003",
            "subject": "身份证丢失后如何补办",
            "content": "我的身份证在出差途中丢失，本人现居汉滨区巴山东路，请问能否异地补办？需要多长时间？",
        },
        "马志强您好：居民身份证可在全国任一公安机关户籍窗口申请补领，携带户口簿即可，一般20个工作日内制证完成。",
    ),
    (
        "demo-letter-4",
        "juzhang",
        "consultation",
        8,
        "approving",
        {
            "name": "周丽",
            "phone": "13991500004",
            "subject": "护照加急办理咨询",
            "content": "您好，我叫周丽，下月要出国参加学术会议，想咨询护照能否加急办理，电话13991500004。",
        },
        "周丽您好：因出国参加会议等紧急事由，可持相关证明材料向出入境管理部门申请加急办理，一般5个工作日内办结。",
    ),
    (
        "demo-letter-5",
        "juzhang",
        "consultation",
        20,
        "published",
        {
            "name": "欧阳明轩",
            "phone": "13991500005",
            "subject": "驾驶证到期换证可以网上办理吗",
            "content": "我叫欧阳明轩，驾驶证下个月到期，住汉滨区兴安东路18号2单元302室，请问能否在网上办理换证？",
        },
        "欧阳明轩您好：驾驶证有效期满换证可通过“交管12123”手机App在线申请，新证将邮寄到您填写的地址。",
    ),
    (
        "demo-letter-6",
        "xinjian",
        "suggestion",
        15,
        "published",
        {
            "name": "孙海涛",
            "phone": "13991500006",
            "subject": "建议延长户籍窗口周末服务时间",
            "content": "上班族工作日请假不便，建议户籍窗口周六全天开放。",
        },
        "孙海涛您好：感谢您的建议。自下月起，汉滨区政务服务中心户籍窗口周六上午开放办理业务。",
    ),
    (
        "demo-letter-7",
        "jubao",
        "complaint",
        5,
        "routed",
        {
            "name": "黄伟",
            "phone": "13991500007",
            "subject": "反映某派出所办事拖延",
            "content": "本人于上月到某派出所办理户口迁移，民警以各种理由推脱，至今未办理。",
        },
        "",
    ),
    (
        "demo-letter-8",
        "juzhang",
        "consultation",
        6,
        "closed",
        {"name": "匿名", "phone": "13991500008", "subject": "无实质内容", "content": "测试测试测试。"},
        "",
    ),
    (
        "demo-letter-9",
        "bangzhu",
        "help",
        1,
        "received",
        {
            "name": "李女士",
            "phone": "13991500009",
            "subject": "救命",
            "content": "有人正在撬我家的门，快来人！",
        },
        "",
    ),
]


def _at(days_ago: int) -> datetime:
    return datetime.combine(local_today() - timedelta(days=days_ago), time(9, 30), tzinfo=CHINA_TZ)


def load_demo(portal: Portal) -> list[str]:
    """Create the demo letters of `portal` that do not exist yet; return their numbers."""
    User = get_user_model()
    actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    if not Box.objects.filter(portal=portal).exists():
        return []
    departments = {d.code: d for d in portal.departments.all()}
    created: list[str] = []
    for key, box_key, kind_key, days_ago, stop, writer, reply in DEMO:
        if Letter.objects.filter(portal=portal, idempotency_key=key).exists():
            continue
        box = Box.objects.filter(portal=portal, key=box_key).first()
        kind = LetterKind.objects.filter(portal=portal, key=kind_key).first()
        if box is None or kind is None:
            continue
        letter, _code, _new = t.submit(
            portal, box, kind, {**writer, "public_allowed": True}, idempotency_key=key, submitted_at=_at(days_ago)
        )
        created.append(letter.number)
        if stop == "received":
            continue
        received = letter.received_on
        t.mark_read(letter, actor)
        if stop == "closed":
            t.close_without_reply(letter, actor, CloseReason.ABUSIVE, on=received)
            continue
        t.triage(letter, actor, Complexity.SIMPLE)
        target = _target(box_key, departments)
        if target is not None:
            t.route(letter, actor, target, "请按时限答复。", on=received)
            if stop == "routed":
                continue
            t.answer_routing(letter, actor, reply, on=received + timedelta(days=1))
        t.draft_reply(letter, actor, reply)
        if stop == "drafting":
            continue
        t.submit_reply(letter, actor)
        if stop == "approving":
            continue
        _approve(letter, actor, received + timedelta(days=min(days_ago, 4)))
        if stop == "published":
            t.publish(letter, actor)
    return created


def _target(box_key: str, departments: dict) -> object | None:
    """The police type a demo letter is routed to (答复 by the competent department)."""
    return {"juzhang": departments.get("churujing"), "jubao": departments.get("jiwei")}.get(box_key)


def _approve(letter: Letter, actor: object, replied_on: date) -> None:
    """Take the demo reply through the portal's reply chain (every step approved by the demo superuser, as the
    real reviewers would), dated as if replied on `replied_on`."""
    reply = letter.reply
    for _step in range(20):
        reply.refresh_from_db()
        task_state = reply.current_workflow_task_state
        if task_state is None:
            break
        task_state.task.specific.on_action(task_state, actor, "approve", comment="演示数据：同意。")
    Letter.objects.filter(pk=letter.pk).update(replied_on=replied_on)
    Clock.objects.for_object(letter).filter(kind=REPLY_CLOCK).update(stopped_on=replied_on)
    letter.refresh_from_db()
