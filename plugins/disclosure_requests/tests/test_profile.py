"""The profile section `disclosure_requests:`: validation with line numbers, idempotent loading, the 2019
defaults (ankang) and the seed's 15 + 15 days (ningxia)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from cms.plugins import PluginConfig
from cms.profiles.loader import apply_profile
from cms.profiles.schema import ProfileValidationError, plugin_sections, read_profile
from cms.review.models import LegalReviewTask, ProofreadTask, SecrecyReviewTask
from plugins.disclosure_requests import transitions as t
from plugins.disclosure_requests.choices import AnswerType, Channel
from plugins.disclosure_requests.models import DEFAULT_RULES, LetterTemplate, rules_for

from .answer_fixtures import APPLICANT

ANKANG = Path("profiles/ankang.yaml").read_text(encoding="utf-8")
NINGXIA = Path("profiles/ningxia.yaml").read_text(encoding="utf-8")
CHAIN = "answer_chain: [department_head, secrecy, legal, proofread, leader]"


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def errors_of(tmp_path, name: str, text: str) -> str:
    with pytest.raises(ProfileValidationError) as exc:
        read_profile(write(tmp_path, name, text))
    return "\n".join(exc.value.errors)


def chain_steps(rules) -> list[str]:
    return [wt.task.name for wt in rules.answer_workflow.workflow_tasks.order_by("sort_order")]


def test_ankang_has_the_2019_rules_and_its_chain(ankang):
    rules = rules_for(ankang)
    assert rules.pk and rules.office.code == "mishu"
    numbers = ("limit_days", "max_extension_days", "correction_days", "consultation_days", "fee_payment_days")
    assert {k: getattr(rules, k) for k in numbers} == {k: DEFAULT_RULES[k] for k in numbers}
    assert chain_steps(rules) == [
        f"安康公安·答复·{n}" for n in ("部门负责人审核", "保密审查", "法制审核", "办公室核稿", "分管局领导审批")
    ]
    tasks = {type(wt.task.specific): wt.task.specific for wt in rules.answer_workflow.workflow_tasks.all()}
    assert tasks[SecrecyReviewTask].department.code == "baomi"
    assert tasks[LegalReviewTask].department.code == "fazhi"
    assert tasks[ProofreadTask].department.code == "mishu"
    # every answer type has a default letter template, installed with the profile
    assert set(LetterTemplate.objects.filter(portal__isnull=True).values_list("answer_type", flat=True)) == set(
        AnswerType.values
    )


def test_loading_the_profile_twice_changes_nothing(ankang):
    rules = rules_for(ankang)
    workflow_id, task_ids = rules.answer_workflow_id, [wt.task_id for wt in rules.answer_workflow.workflow_tasks.all()]
    templates = LetterTemplate.objects.count()
    out = io.StringIO()
    call_command("load_profile", "ankang", stdout=out)
    assert "created: 0, updated: 0" in out.getvalue()
    rules = rules_for(ankang)
    assert rules.answer_workflow_id == workflow_id
    assert [wt.task_id for wt in rules.answer_workflow.workflow_tasks.all()] == task_ids
    assert LetterTemplate.objects.count() == templates


def test_a_changed_section_updates_the_rules_and_the_chain(ankang, tmp_path):
    text = ANKANG.replace("  limit_days: 20 ", "  limit_days: 15 ").replace(
        CHAIN, "answer_chain: [department_head, proofread, leader]"
    )
    report = apply_profile(read_profile(write(tmp_path, "ankang", text)))
    assert any("disclosure request rules" in line for line in report.updated)
    rules = rules_for(ankang)
    assert rules.limit_days == 15
    assert [n.split("·")[-1] for n in chain_steps(rules)] == ["部门负责人审核", "办公室核稿", "分管局领导审批"]
    workflow_id = rules.answer_workflow_id
    apply_profile(read_profile("ankang"))  # back to the committed profile: the same workflow, its five steps
    rules = rules_for(ankang)
    assert rules.limit_days == 20 and rules.answer_workflow_id == workflow_id and len(chain_steps(rules)) == 5


def test_ningxia_answers_within_15_plus_15_days(db, ankang):
    call_command("load_profile", "ningxia", stdout=io.StringIO())
    from cms.models import Portal

    ningxia = Portal.objects.get(profile="ningxia")
    rules = rules_for(ningxia)
    assert (rules.limit_days, rules.max_extension_days, rules.correction_days) == (15, 15, 7)
    assert rules.office.code == "zhengwugongkai"
    tasks = [wt.task.specific for wt in rules.answer_workflow.workflow_tasks.order_by("sort_order")]
    assert [getattr(task, "department", None) and task.department.code for task in tasks[1:4]] == [
        "baomiban",
        "fazhi",
        "bangongshi",
    ]
    req, _code, _ = t.submit(ningxia, APPLICANT, channel=Channel.POST, channel_date=date(2025, 1, 20))
    assert req.clock.due_date == date(2025, 2, 14)  # 15 working days over the spring festival (docs/deadlines.md)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  limit_days: 15 ", "  limit_days: 99 ", "disclosure_requests.limit_days (line {line}): must be a whole"),
        ("  limit_days: 15 ", "  limit_days: yes ", "disclosure_requests.limit_days (line {line}): must be a whole"),
        ("  office: zhengwugongkai ", "  office: nosuch ", "disclosure_requests.office (line {line}):"),
        ("  number_prefix: 依申", "  colour: blue", "disclosure_requests.colour (line {line}): unknown key"),
        (
            CHAIN,
            "answer_chain: [department_head, column_admin, leader, leader]",
            "disclosure_requests.answer_chain[1] (line {line}): unknown step 'column_admin'",
        ),
        (CHAIN, "answer_chain: [leader, leader]", "disclosure_requests.answer_chain[1] (line {line}): step 'leader'"),
        ("  secrecy_department: baomiban\n", "", "disclosure_requests.answer_chain (line {line}): a secrecy step"),
    ],
)
def test_bad_values_are_reported_with_their_line(db, tmp_path, old, new, expected):
    section = NINGXIA.index("disclosure_requests:")
    text = NINGXIA[:section] + NINGXIA[section:].replace(old, new)
    assert text != NINGXIA
    line = text[: section + NINGXIA[section:].index(old)].count("\n") + 1
    if "secrecy step" in expected:
        line = text[: text.index("  answer_chain:", section)].count("\n") + 1
    errors = errors_of(tmp_path, "ningxia", text)
    assert expected.format(line=line) in errors, errors
    assert "review." not in errors  # only the section's own problems


def test_the_section_needs_the_plugin(db, tmp_path, monkeypatch):
    monkeypatch.setattr("cms.profiles.schema.plugin_sections", lambda: {})
    errors = errors_of(tmp_path, "ningxia", NINGXIA)
    line = NINGXIA[: NINGXIA.index("disclosure_requests:")].count("\n") + 1
    assert f"disclosure_requests (line {line}): unknown key" in errors


def test_plugins_declare_their_section():
    config = apps.get_app_config("disclosure_requests")
    assert plugin_sections()["disclosure_requests"] is config
    assert PluginConfig.profile_section is None
    assert PluginConfig.parse_profile_section(config, None, {"a": 1}, "x", None) == {"a": 1}  # the base: no checks
