"""Helpers of the mailbox tests: the default writer and the reply chain's steps."""

from __future__ import annotations

WRITER = {
    "name": "王小明",
    "phone": "13912345678",
    "id_number": "",
    "subject": "户口迁移办理进度咨询",
    "content": "我于上月在汉滨区某派出所提交户口迁移申请，至今未办结，请问还需要多久？",
    "public_allowed": True,
}


def approve(reply, user, comment: str = "同意") -> None:
    """Approve the reply's current step as `user` (PermissionDenied for anyone but its approvers)."""
    reply.refresh_from_db()
    task_state = reply.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, "approve", comment=comment)


def current_step(reply) -> str:
    """The name of the reply's current review step ('' when none)."""
    reply.refresh_from_db()
    state = reply.current_workflow_task_state
    return state.task.name if state else ""
