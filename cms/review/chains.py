"""Review chains of other reviewed items (snippets with a workflow: a disclosure answer, a letter's reply),
built by a plugin's profile loader from a list of step keys (`TASK_TYPES`: department_head, leader, secrecy,
secrecy_check, legal, proofread, column_admin).

Each step is a task of its own, remembered per portal by its key (`PortalTask`, e.g. ``answer:leader``), so
loading the profile again changes nothing and an edited chain is updated in place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wagtail.models import Workflow, WorkflowTask

from cms.models import Department, Portal

from .models import TASK_TYPES, PortalTask

#: Steps that are decided by the heads of one named department.
DEPARTMENT_STEPS = ("secrecy", "secrecy_check", "legal", "proofread")


def build_item_chain(
    portal: Portal,
    *,
    prefix: str,
    label: str,
    workflow_name: str,
    steps: Sequence[str],
    step_departments: Mapping[str, Department | None],
    workflow: Workflow | None,
    report: Any,
) -> tuple[Workflow | None, bool]:
    """Create or update the chain of `steps` for `portal`; return (workflow, changed).

    Tasks are named ``<portal short name>·<label>·<step's Chinese name>`` and remembered under
    ``<prefix>:<step>``; `step_departments` gives the department of each department step (a step without one
    is an error of the caller's validation). `workflow` is the chain's current workflow (None: create one).
    `report` is the profile loader's report (`created`, `updated` lists).
    """
    tasks = []
    for step in steps:
        model, step_label, attrs = TASK_TYPES[step]
        values = {"name": f"{portal.short_name}·{label}·{step_label}", "active": True, **attrs}
        if step in DEPARTMENT_STEPS:
            values["department"] = step_departments[step]
        key = f"{prefix}:{step}"
        link = PortalTask.objects.filter(portal=portal, key=key).select_related("task").first()
        task = link.task.specific if link else None
        if task is None or type(task) is not model:
            task = model.objects.create(**values)
            PortalTask.objects.update_or_create(portal=portal, key=key, defaults={"task": task})
            report.created.append(f"{label} step {values['name']}")
        elif any(getattr(task, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(task, k, v)
            task.save()
            report.updated.append(f"{label} step {values['name']}")
        tasks.append(task)
    if not tasks:
        return workflow, False
    changed = False
    if workflow is None:
        workflow = Workflow.objects.create(name=workflow_name, active=True)
        changed = True
    elif workflow.name != workflow_name or not workflow.active:
        workflow.name, workflow.active = workflow_name, True
        workflow.save()
        changed = True
    current = list(
        WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order").values_list("task_id", flat=True)
    )
    if current != [t.pk for t in tasks]:
        WorkflowTask.objects.filter(workflow=workflow).delete()
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        changed = True
    return workflow, changed
