"""The review chain: resolved approvers, the secrecy gate on every publish path, leader activities,
the review ledger and its export, and profile validation of chains."""

from __future__ import annotations

import csv
import datetime
import io
import textwrap

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.profiles import ProfileValidationError
from cms.profiles.schema import parse_profile
from cms.profiles.yamlfile import loads_yaml
from cms.review.gate import PublicationBlocked, ReviewRefused, chain_bypass
from cms.review.models import Decision, ReviewChain, ReviewLedgerEntry, SecrecyClearance
from pages.models import ArticlePage

pytestmark = pytest.mark.django_db

SECRET = "<p>秘密★1年</p><p>关于冬季治安防控的部署意见。</p>"


@pytest.fixture
def people(member):
    """The people of a routine item in 警务要闻: a 宣传科 editor, its head, a column administrator, and others."""
    return {
        "editor": member("xuanchuan", "editors"),
        "head": member("xuanchuan", "heads"),
        "admin": member("mishu", "admins"),
        "secrecy": member("baomi", "heads"),
        "other_head": member("xingjing", "heads"),
        "leader": member("juling", "heads"),
        "county_head": member("hanbin", "heads"),
    }


def draft(column, owner, title="冬季治安防控工作部署", body="<p>全市公安机关部署冬季治安防控。</p>", **fields):
    page = ArticlePage(title=title, body=body, owner=owner, live=False, **fields)
    column.add_child(instance=page)
    page.save_revision(user=owner)
    return ArticlePage.objects.get(pk=page.pk)


def submit(page, user):
    return page.get_workflow().start(page, user)


def act(page, user, action="approve", comment=""):
    page.refresh_from_db()
    state = page.current_workflow_task_state
    state.task.specific.on_action(state, user, action, comment=comment)
    page.refresh_from_db()


def steps(page) -> list[tuple[str, str]]:
    states = TaskState.objects.filter(workflow_state__object_id=str(page.pk)).order_by("started_at", "pk")
    return [(s.task.name.split("·")[-1], s.status) for s in states]


def test_profile_loads_a_chain_per_content_kind(ankang):
    chains = {c.kind: [t.name for t in c.workflow.tasks] for c in ReviewChain.objects.filter(portal=ankang)}
    assert chains["routine"] == ["安康公安·部门负责人审核", "安康公安·保密检查", "安康公安·栏目管理员发布"]
    assert chains["document"] == [
        "安康公安·部门负责人审核",
        "安康公安·分管局领导审批",
        "安康公安·保密审查",
        "安康公安·栏目管理员发布",
    ]
    assert set(chains) == {"routine", "document", "leader_activity", "important_meeting"}


def test_routine_item_passes_its_chain_and_every_decision_is_in_the_ledger(column, people):
    page = draft(column("xxgk/jwyw"), people["editor"])
    assert page.author_department.code == "xuanchuan"
    submit(page, people["editor"])
    act(page, people["head"], comment="同意")
    # the automatic secrecy check passed the clean text on its own; the column administrator publishes
    act(page, people["admin"])
    assert page.live
    assert steps(page) == [("部门负责人审核", "approved"), ("保密检查", "approved"), ("栏目管理员发布", "approved")]
    ledger = list(ReviewLedgerEntry.objects.filter(page=page).order_by("decided_at", "pk"))
    assert [(e.task_name.split("·")[-1], e.decision) for e in ledger] == [
        ("部门负责人审核", "approved"),
        ("保密检查", "approved"),
        ("栏目管理员发布", "approved"),
        ("", "published"),
    ]
    head, check, admin, _published = ledger
    assert head.reviewer == people["head"] and head.opinion == "同意"
    assert check.reviewer is None and "系统自动保密检查" in check.opinion
    assert admin.reviewer == people["admin"]
    assert all(e.revision_id == page.live_revision_id and len(e.content_hash) == 64 for e in ledger)
    assert head.department.code == "xuanchuan" and head.column_title == "警务要闻"


def test_only_the_resolved_approver_may_decide(column, people):
    page = draft(column("xxgk/jwyw"), people["editor"])
    submit(page, people["editor"])
    for outsider in (people["other_head"], people["editor"], people["admin"]):
        with pytest.raises(PermissionDenied):  # PermissionDenied
            act(page, outsider)
    assert steps(page) == [("部门负责人审核", "in_progress")]
    # the same task serves every department: a county's item goes to the county's own head
    county = draft(column("xxgk/xqdt"), people["county_head"], title="汉滨分局开展校园安全宣传")
    assert county.author_department.code == "hanbin"
    submit(county, people["county_head"])
    with pytest.raises(PermissionDenied):
        act(county, people["head"])
    act(county, people["county_head"])
    assert steps(county)[0] == ("部门负责人审核", "approved")


def test_non_approver_is_refused_in_the_admin_too(client, column, people):
    page = draft(column("xxgk/jwyw"), people["editor"])
    submit(page, people["editor"])
    state = page.current_workflow_task_state
    client.force_login(people["other_head"])
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{state.pk}/",
        {"comment": ""},
    )
    assert response.status_code in (302, 403)
    assert steps(page) == [("部门负责人审核", "in_progress")]


def test_publishing_outside_the_chain_is_refused(column, people, client):
    page = draft(column("xxgk/jwyw"), people["editor"])
    with pytest.raises(PublicationBlocked, match="审核流程"):
        page.get_latest_revision().publish(user=people["admin"])
    page.refresh_from_db()
    assert not page.live
    # the admin publish button answers in Chinese and changes nothing
    client.force_login(people["admin"])
    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        nested_form_data(
            {
                "title": page.title,
                "slug": page.slug,
                "date": "2026-11-20",
                "body": rich_text("<p>x</p>"),
                "summary": "",
                "content_kind": "routine",
                "tags": "",
                "comments": inline_formset([]),
                "action-publish": "publish",
            }
        ),
        follow=True,
    )
    assert "审核流程" in response.content.decode()
    page.refresh_from_db()
    assert not page.live


def test_secrecy_finding_waits_for_the_secrecy_office_and_needs_a_written_opinion(column, people):
    page = draft(column("xxgk/jwyw"), people["editor"], body=SECRET)
    submit(page, people["editor"])
    act(page, people["head"])
    assert steps(page)[-1] == ("保密检查", "in_progress")  # not passed automatically
    with pytest.raises(ReviewRefused, match="书面意见"):
        act(page, people["secrecy"], comment="")
    act(page, people["secrecy"], comment="经审查，“秘密★1年”系引用历史文件标题，已解密，同意公开。")
    clearance = SecrecyClearance.objects.get(page=page)
    assert clearance.cleared_by == people["secrecy"] and clearance.findings[0]["kind"] == "classification"
    act(page, people["admin"])
    assert page.live
    cleared = ReviewLedgerEntry.objects.get(page=page, decision=Decision.CLEARED)
    assert "已解密" in cleared.opinion


def test_a_new_finding_after_clearance_blocks_again(column, people):
    page = draft(column("xxgk/jwyw"), people["editor"], body=SECRET)
    submit(page, people["editor"])
    act(page, people["head"])
    act(page, people["secrecy"], comment="同意公开。")
    # the editor adds a phone number before the column administrator publishes
    page = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    page.body = SECRET + "<p>联系人手机13912345678</p>"
    page.save_revision(user=people["editor"])
    with pytest.raises(PublicationBlocked, match="手机号码"):
        act(page, people["admin"])
    page.refresh_from_db()
    assert not page.live


@pytest.mark.parametrize("path", ["revision_publish", "direct_save"])
def test_secrecy_gate_holds_even_outside_the_chain(column, people, path):
    page = draft(column("xxgk/jwyw"), people["editor"], body=SECRET)
    with chain_bypass("测试：历史数据导入"), pytest.raises(PublicationBlocked, match="密级标志“秘密★1年”（正文）"):
        if path == "revision_publish":
            page.get_latest_revision().publish()
        else:  # code that sets a page live by hand, below Wagtail's publishing actions
            live = page.get_latest_revision_as_object()
            live.live = True
            live.save()
    assert not ArticlePage.objects.get(pk=page.pk).live


def test_final_approval_over_http_is_refused_and_rolled_back(client, column, people):
    page = draft(column("xxgk/jwyw"), people["editor"], body=SECRET)
    submit(page, people["editor"])
    act(page, people["head"])
    act(page, people["secrecy"], comment="同意公开。")
    changed = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    changed.body = SECRET + "<p>值班手机13912345678</p>"
    changed.save_revision(user=people["editor"])
    page.refresh_from_db()
    state = page.current_workflow_task_state
    client.force_login(people["admin"])
    response = client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{state.pk}/", {"comment": ""}, follow=True)
    assert "手机号码" in response.content.decode()
    page.refresh_from_db()
    assert not page.live
    state.refresh_from_db()
    assert state.status == "in_progress"  # the whole request was rolled back: the step is still open


def test_bulk_publish_is_refused_for_items_without_approval(client, column, people):
    page = draft(column("xxgk/jwyw"), people["editor"], body=SECRET)
    client.force_login(people["admin"])
    url = f"/admin/bulk/wagtailcore/page/publish/?next=/admin/&id={page.pk}"
    response = client.post(url, {}, follow=True)
    assert response.status_code == 200
    page.refresh_from_db()
    assert not page.live


def test_scheduled_publication_holds_a_blocked_item_and_publishes_the_rest(column, people):
    clean = draft(column("xxgk/jwyw"), people["editor"], title="干净的稿件")
    dirty = draft(column("xxgk/jwyw"), people["editor"], title="带密级的稿件", body=SECRET)
    past = timezone.now() - datetime.timedelta(minutes=5)
    for page in (clean, dirty):
        revision = page.get_latest_revision()
        revision.approved_go_live_at = past
        revision.save()
    with chain_bypass("测试：定时发布"):
        call_command("publish_scheduled", verbosity=0)
    clean.refresh_from_db()
    dirty.refresh_from_db()
    assert clean.live
    assert not dirty.live
    assert dirty.get_latest_revision().approved_go_live_at is not None  # still scheduled, tried again next run


def test_leader_activity_goes_live_only_after_it_ends(column, people):
    ends = timezone.now() + datetime.timedelta(hours=2)
    page = draft(
        column("xxgk/jwyw"),
        people["editor"],
        title="局长调研基层派出所",
        content_kind="leader_activity",
        activity_ends_at=ends,
    )
    assert page.get_workflow().name.endswith("领导活动信息审批流程")
    submit(page, people["editor"])
    act(page, people["head"])
    act(page, people["leader"])
    with pytest.raises(PublicationBlocked, match="活动结束"):
        act(page, people["admin"])
    page.refresh_from_db()
    assert not page.live
    # once the activity is over, the approved revision can go out
    ArticlePage.objects.filter(pk=page.pk).update(activity_ends_at=timezone.now() - datetime.timedelta(minutes=1))
    revision = page.get_latest_revision()
    revision.content["activity_ends_at"] = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    revision.save()
    act(page, people["admin"])
    assert page.live


def test_ledger_view_filters_and_exports(admin_client, column, people):
    page = draft(column("xxgk/jwyw"), people["editor"])
    submit(page, people["editor"])
    act(page, people["head"], comment="同意发布")
    act(page, people["admin"])
    listing = admin_client.get("/admin/review-ledger/?decision=approved")
    html = listing.content.decode()
    assert listing.status_code == 200 and "冬季治安防控工作部署" in html and "同意发布" in html
    response = admin_client.get("/admin/review-ledger/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["审核时间", "信息标题", "栏目", "部门"]
    assert any(r[1] == "冬季治安防控工作部署" and r[5] == "审核通过" and r[7] == "同意发布" for r in rows[1:])
    xlsx = admin_client.get(f"/admin/review-ledger/?export=xlsx&department={page.author_department.pk}")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][1] == "信息标题"
    assert all(v[3] == "政治部宣传科" for v in values[1:]) and len(values) > 1


def test_ledger_is_not_open_to_editors(client, people):
    client.force_login(people["editor"])
    assert client.get("/admin/review-ledger/").status_code in (302, 403)


def test_profile_chain_errors_name_their_line():
    text = textwrap.dedent(
        """\
        profile: chains
        name: 测试局
        site: {hostname: chains.localhost}
        departments: [{code: a, name: 办公室, kind: office}]
        columns: [{title: 新闻, slug: xw}]
        review:
          secrecy_department: ghost
          chains:
            routine: [department_head, approval_by_magic, column_admin]
            document: [department_head, legal]
            holiday: [column_admin]
        """
    )
    with pytest.raises(ProfileValidationError) as exc:
        parse_profile(loads_yaml(text))
    errors = exc.value.errors
    assert "review.secrecy_department (line 7): unknown department 'ghost'" in errors
    assert any(e.startswith("review.chains.routine[1] (line 9): unknown step 'approval_by_magic'") for e in errors)
    assert "review.chains.document[1] (line 10): a legal step needs review.legal_department" in errors
    assert any(e.startswith("review.chains.document (line 10): the last step must be column_admin") for e in errors)
    assert any(e.startswith("review.chains.holiday (line 11): unknown content kind") for e in errors)


def test_reloading_keeps_chains_and_states(ankang, column, people):
    page = draft(column("xxgk/jwyw"), people["editor"])
    submit(page, people["editor"])
    before = (ReviewChain.objects.count(), WorkflowState.objects.count())
    call_command("load_profile", "ankang", verbosity=0)
    assert (ReviewChain.objects.count(), WorkflowState.objects.count()) == before
    act(page, people["head"])
    assert steps(page)[0] == ("部门负责人审核", "approved")


def test_secrecy_approval_dialog_requires_an_opinion(client, column, people):
    page = draft(column("xxgk/jwyw"), people["editor"], body=SECRET)
    submit(page, people["editor"])
    act(page, people["head"])
    page.refresh_from_db()
    state = page.current_workflow_task_state
    client.force_login(people["secrecy"])
    url = f"/admin/pages/workflow/collect_action_data/{page.pk}/approve/{state.pk}/"
    dialog = client.get(url)
    assert dialog.status_code == 200 and "保密审查意见" in dialog.json()["html"]
    action_url = f"/admin/pages/workflow/action/{page.pk}/approve/{state.pk}/"
    client.post(action_url, {"comment": ""})
    assert steps(page)[-1] == ("保密检查", "in_progress")  # an empty opinion decides nothing
    assert not SecrecyClearance.objects.filter(page=page).exists()
    client.post(action_url, {"comment": "已核实解密，同意公开。"})
    assert steps(page)[-1] == ("栏目管理员发布", "in_progress")
    assert SecrecyClearance.objects.get(page=page).opinion == "已核实解密，同意公开。"


def test_submitting_does_not_depend_on_wagtails_default_workflow(client, column, people):
    """The portal's chains replace Wagtail's default workflow at the root: an editor can still create an item and
    submit it for review after that workflow is gone (e.g. deleted by an administrator)."""
    from wagtail.models import WorkflowPage

    WorkflowPage.objects.all().delete()
    jwyw = column("xxgk/jwyw")
    client.force_login(people["editor"])
    add = f"/admin/pages/add/pages/articlepage/{jwyw.pk}/"
    assert 'name="action-submit"' in client.get(add).content.decode()
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    data = nested_form_data(
        {
            "title": "无默认流程时提交",
            "slug": "no-default-workflow",
            "date": "2026-11-20",
            "summary": "摘要",
            "content_kind": "routine",
            "body": rich_text("<p>全市公安机关部署冬季治安防控。</p>"),
            "comments": inline_formset([]),
            "action-submit": "Submit",
        }
    )
    response = client.post(add, data)
    errors = response.context["form"].errors if response.status_code == 200 else None
    assert response.status_code == 302, errors
    page = ArticlePage.objects.get(slug="no-default-workflow")
    assert page.workflow_in_progress and page.current_workflow_task.name.endswith("部门负责人审核")
