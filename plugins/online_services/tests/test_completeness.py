"""The completeness check of a service guide: an incomplete guide cannot be submitted for review (by the admin,
a shell, any path) nor go live; a complete one passes the review chain."""

from __future__ import annotations

import pytest
from django.test import override_settings
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.review.gate import PublicationBlocked
from plugins.online_services.completeness import ELEMENTS, missing_elements
from plugins.online_services.models import ServiceGuidePage
from plugins.online_services.submission import SubmissionRefused

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bszn(column):
    return column("wsbs/huzheng/bszn")


def test_an_empty_guide_lacks_every_required_element_in_chinese(department, ankang):
    page = factories.guide(department, ankang, complete=False)
    missing = missing_elements(page)
    assert missing == [
        "事项编码",
        "事项类型",
        "实施机关",
        "设定依据",
        "受理范围",
        "办理条件",
        "申请材料",
        "办理流程",
        "法定办结时限",
        "承诺办结时限",
        "收费标准及依据（或注明不收费）",
        "办理地点和时间",
        "咨询电话",
        "监督投诉电话",
    ]
    assert len(ELEMENTS) == len(missing) + 1  # the title (事项名称) is there


def test_a_complete_guide_lacks_nothing_and_a_material_without_its_form_is_named(department, ankang):
    page = factories.guide(department, ankang)
    assert missing_elements(page) == []
    page.materials.first().form = ""
    page.is_free, page.fee_standard = False, "每本120元"
    assert missing_elements(page) == [
        "收费标准及依据（或注明不收费）",
        "第1项申请材料“居民户口簿”的材料形式（原件、复印件或电子件）",
    ]


def test_submitting_an_incomplete_guide_from_a_shell_is_refused_and_nothing_is_written(
    bszn, department, ankang, member
):
    page = factories.add(factories.guide(department, ankang, title="未填完的办事指南", complete=False), bszn)
    page.item_code = "610900-GA-QR-0009"
    page.save_revision()
    editor = member("huzheng")
    workflow = page.get_workflow()
    assert workflow is not None
    with pytest.raises(SubmissionRefused) as refused:
        workflow.start(page, editor)
    message = str(refused.value)
    assert message.startswith("办事指南要素不全，不能提交审核")
    assert "设定依据" in message and "监督投诉电话" in message and "事项编码" not in message
    assert not WorkflowState.objects.for_instance(page).exists()


def test_a_complete_guide_is_submitted_and_approved_through_the_chain(bszn, department, ankang, member):
    page = factories.add(factories.guide(department, ankang), bszn)
    editor, head = member("huzheng"), member("huzheng", "heads")
    publisher = member("zhihui", "admins")
    state = page.get_workflow().start(page, editor)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    for user in (head, publisher):  # the secrecy check passes by itself: the guide is clean
        state.refresh_from_db()
        task = state.current_task_state.task.specific
        task.on_action(state.current_task_state, user, "approve")
    page.refresh_from_db()
    assert page.live
    assert page.police_type == department("huzheng")


def test_an_incomplete_guide_never_goes_live_even_outside_the_chain(bszn, department, ankang):
    page = factories.add(factories.guide(department, ankang, title="缺要素的指南", complete=False), bszn)
    with pytest.raises(PublicationBlocked) as blocked:
        factories.publish(page)
    assert "办事指南要素不全" in str(blocked.value) or "要素不全" in str(blocked.value)
    assert not ServiceGuidePage.objects.get(pk=page.pk).live


def _form_data(page, submit: bool, complete: bool) -> dict:
    data = {
        "title": page.title,
        "slug": page.slug,
        "date": "2026-11-20",
        "summary": "",
        "item_code": page.item_code,
        "item_type": page.item_type,
        "implementing_organ": page.implementing_organ,
        "scope": page.scope,
        "statutory_days": "" if page.statutory_days is None else page.statutory_days,
        "promised_days": "" if page.promised_days is None else page.promised_days,
        "time_limit_note": "",
        "is_free": "on" if page.is_free else "",
        "fee_standard": "",
        "fee_basis": "",
        "consultation_phone": page.consultation_phone_id or "",
        "complaint_phone": page.complaint_phone_id or "",
        "online_url": "",
        "legal_bases": inline_formset([{"name": b.name, "provisions": b.provisions} for b in page.legal_bases.all()]),
        "conditions": inline_formset([{"text": c.text} for c in page.conditions.all()]),
        "materials": inline_formset(
            [
                {"name": m.name, "form": m.form, "copies": m.copies, "required": "on", "note": "", "document": ""}
                for m in page.materials.all()
            ]
        ),
        "steps": inline_formset(
            [{"title": s.title, "description": s.description, "time_limit": ""} for s in page.steps.all()]
        ),
        "faqs": inline_formset([]),
        "comments": inline_formset([]),
    }
    if not complete:
        data["complaint_phone"] = ""
        data["conditions"] = inline_formset([])
    if submit:
        data["action-submit"] = "提交审核"
    flat = nested_form_data(data)
    flat["locations"] = [loc.pk for loc in page.locations.all()]  # a multiple choice: one key, many values
    return flat


def _errors(response) -> str:
    form = response.context["form"]
    formsets = {name: [f.errors for f in fs.forms] + [fs.non_form_errors()] for name, fs in form.formsets.items()}
    return f"{form.errors} {formsets}"


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_admin_refuses_the_submission_with_the_list_and_keeps_the_edit(client, bszn, department, ankang, member):
    page = factories.add(factories.guide(department, ankang, title="后台提交测试指南"), bszn)
    editor = member("huzheng")
    client.force_login(editor)
    url = f"/admin/pages/{page.pk}/edit/"
    response = client.post(url, _form_data(page, submit=True, complete=False))
    assert response.status_code == 200  # the editor stays on the form, with what was typed
    text = response.content.decode()
    assert "办事指南要素不全，不能提交审核" in text
    assert "办理条件" in text and "监督投诉电话" in text
    assert not WorkflowState.objects.for_instance(page).exists()

    response = client.post(url, _form_data(page, submit=False, complete=False))  # saving a draft is fine
    assert response.status_code == 302
    draft = ServiceGuidePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.complaint_phone_id is None
    assert "监督投诉电话" in missing_elements(draft)

    complete = factories.guide(department, ankang, title="后台提交测试指南")
    complete.slug = page.slug
    response = client.post(url, _form_data(complete, submit=True, complete=True))
    assert response.status_code == 302, _errors(response)
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_the_editor_shows_what_is_missing(client, bszn, department, ankang, member):
    page = factories.add(factories.guide(department, ankang, title="面板测试指南", complete=False), bszn)
    client.force_login(member("huzheng"))
    text = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "data-completeness" in text
    assert text.count("data-missing-element") == 14
    assert "监督投诉电话" in text


def test_the_admin_preview_of_an_incomplete_guide_renders(client, bszn, department, ankang, member):
    page = factories.add(factories.guide(department, ankang, title="预览测试指南"), bszn)
    client.force_login(member("huzheng"))
    url = f"/admin/pages/{page.pk}/edit/preview/"
    posted = client.post(url, _form_data(page, submit=False, complete=False))
    assert posted.status_code == 200 and posted.json()["is_valid"]
    preview = client.get(url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "预览测试指南" in html and "《中华人民共和国户口登记条例》" in html and "0915-3210001" in html
