"""The annual report computed from the data: every cell of tables three and four for a year of requests, the
invariant and its broken cells, requests made through the transitions, the seed's other counts, and a
bounded number of queries."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from plugins.disclosure_requests import transitions as t
from plugins.disclosure_requests.choices import REPORT_ROWS, AnswerType, Channel, RemedyKind, RemedyOutcome, State
from plugins.disclosure_requests.models import DisclosureRequest
from plugins.disclosure_requests.report import (
    COLUMNS,
    ReportDoesNotReconcile,
    assert_reconciles,
    broken_cells,
    build_report,
)

from .report_fixtures import *  # noqa: F403 - fixtures: remedies_2025, year_of_requests
from .report_fixtures import expected_cell, make

APPLICANT = {
    "applicant_name": "张三",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "info_title": "统计",
    "info_description": "统计数据",
}
ANONYMOUS = type("Anonymous", (), {"is_authenticated": False})()


def test_rows_are_those_of_the_national_format(ankang):
    report = build_report(ankang, 2025)
    labels = [row.label for row in report.rows]
    assert labels[:3] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果"]
    assert labels[3:-2] == [label for _type, _reason, label in REPORT_ROWS]
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert labels.count("1．属于国家秘密") == 1 and len(report.rows) == 3 + 6 + 19 + 2
    assert [label for _key, label in COLUMNS] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert report.ok and all(v == 0 for row in report.rows for v in row.values.values())


def test_every_cell_of_table_three(ankang, year_of_requests, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        report = build_report(ankang, 2025)
    assert report.ok, report.problems
    checked = 0
    for row in report.rows:
        if not row.values:
            assert row.key == "results"
            continue
        for column, _label in COLUMNS:
            assert row.values[column] == expected_cell(year_of_requests, row.key, column), (row.key, column)
            checked += 1
    assert checked == (len(report.rows) - 1) * 7
    # the spot checks a reader would make
    assert report.cell("carried_in", "person") == 2 and report.cell("carried_in") == 12
    assert report.cell("carried_out", "legal_services") == 3
    assert broken_cells(report) == []
    assert_reconciles(report)


def test_the_number_of_queries_does_not_grow_with_the_data(ankang, year_of_requests, remedies_2025):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        build_report(ankang, 2024)
    with CaptureQueriesContext(connection) as many:
        build_report(ankang, 2025)
    assert len(many) == len(few) <= 10


def test_other_portals_do_not_count(ankang, year_of_requests):
    from cms.models import Portal

    other = Portal.objects.exclude(pk=ankang.pk).first() or _second_portal()
    make(other, "person", date(2025, 3, 3), date(2025, 3, 20), ("disclose", ""))
    assert build_report(ankang, 2025).cell("disclose", "person") == year_of_requests["disclose", "person"]
    assert build_report(other, 2025).cell("disclose") == 1


def _second_portal():
    call_command("load_profile", "ningxia", stdout=io.StringIO())
    from cms.models import Portal

    return Portal.objects.get(profile="ningxia")


def test_broken_cells_name_the_cell_and_the_rule(ankang, year_of_requests):
    report = build_report(ankang, 2025)
    report.row("withhold:state_secret").values["business"] += 1  # as if the table had been edited
    cells = broken_cells(report)
    assert {(c.row, c.column, c.rule) for c in cells} == {
        ("withhold", "business", "heading = reasons"),
        ("withhold:state_secret", "total", "总计 = columns"),
    }
    report.row("carried_out").values["person"] -= 1
    report.row("carried_out").values["total"] -= 1
    cells = broken_cells(report)
    wrong = next(c for c in cells if c.row == "carried_out" and c.column == "person")
    assert wrong.value + 1 == wrong.expected and "自然人" in str(wrong) and "一 + 二 = 三(七) + 四" in str(wrong)
    with pytest.raises(ReportDoesNotReconcile) as raised:
        assert_reconciles(report)
    assert wrong in raised.value.cells


def test_a_closed_request_without_a_result_breaks_the_invariant(ankang):
    make(ankang, "person", date(2024, 2, 1), date(2024, 2, 20), ("", ""))
    report = build_report(ankang, 2024)
    assert not report.ok and "no valid result" in report.problems[0]
    assert any("自然人" in p and "一 + 二 = 三(七) + 四" in p for p in report.problems)
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("annual_report", "2024", "--portal", "ankang", stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 1 and "invariant broken" in err.getvalue()


def test_a_closed_state_without_a_closing_date_is_reported(ankang):
    req = make(ankang, "research", date(2025, 2, 3))
    DisclosureRequest.objects.filter(pk=req.pk).update(state=State.ANSWERED)
    report = build_report(ankang, 2025)
    assert report.cell("carried_out", "research") == 1
    assert any(req.number in p for p in report.problems)


def test_requests_made_through_the_transitions_feed_the_report(ankang):
    req, _code, _ = t.submit(ankang, APPLICANT, channel=Channel.POST, channel_date=date(2024, 3, 4), user=ANONYMOUS)
    t.request_correction(req, ANONYMOUS, "请明确年份", on=date(2024, 3, 5))
    t.abandon_uncorrected(req, ANONYMOUS, on=date(2024, 6, 3))
    other, _code, _ = t.submit(ankang, APPLICANT, channel=Channel.POST, channel_date=date(2024, 5, 6), user=ANONYMOUS)
    report = build_report(ankang, 2024)
    assert report.cell("new", "person") == 2
    assert report.cell("other:correction_lapsed", "person") == 1
    assert report.cell("carried_out", "person") == 1 and report.ok
    t.withdraw(other, ANONYMOUS, on=date(2025, 1, 6))
    report = build_report(ankang, 2025)
    assert (report.cell("carried_in"), report.cell("other:other"), report.cell("carried_out")) == (1, 1, 0)


def test_a_corrected_request_counts_once_in_its_year_of_receipt(ankang):
    req, _code, _ = t.submit(ankang, APPLICANT, channel=Channel.POST, channel_date=date(2025, 12, 22))
    t.request_correction(req, ANONYMOUS, "请明确年份", on=date(2025, 12, 23))
    t.record_correction(req, ANONYMOUS, "2024年", on=date(2026, 1, 5))  # the clock restarts in 2026
    assert build_report(ankang, 2025).cell("new") == 1 and build_report(ankang, 2025).cell("carried_out") == 1
    report = build_report(ankang, 2026)
    assert (report.cell("new"), report.cell("carried_in")) == (0, 1)


def test_an_answer_through_the_review_chain_and_a_fee_feed_the_report(ankang, department, member, django_user_model):
    office = django_user_model.objects.create_superuser("report-office", password="pw-123456")
    company = {**APPLICANT, "applicant_type": "organisation", "organisation_kind": "legal_services"}
    req, _code, _ = t.submit(ankang, company, channel=Channel.POST, channel_date=date(2025, 3, 3))
    t.assign(req, office, department("jiaojing"), "请办理", on=date(2025, 3, 4))
    t.notify_fee(req, office, Decimal("100"), "按件计收：本月第11件", on=date(2025, 3, 5))
    t.record_fee_paid(req, office, on=date(2025, 3, 10))
    answer = t.draft_answer(
        req, office, answer_type=AnswerType.WITHHOLD, reason="third_party", body="涉及第三方商业秘密。"
    )
    t.submit_answer(req, office)
    approvers = {
        "部门负责人审核": member("jiaojing", "heads", "r-head"),
        "办公室核稿": member("mishu", "heads", "r-proof"),
        "分管局领导审批": member("juling", "heads", "r-leader"),
    }
    for _step in range(5):
        answer.refresh_from_db()
        state = answer.current_workflow_task_state
        if state is None:
            break
        state.task.specific.on_action(state, approvers[state.task.name.split("·")[-1]], "approve", comment="同意")
    req.refresh_from_db()
    t.send_answer(req, office, on=date(2025, 3, 20))
    unpaid, _code, _ = t.submit(ankang, APPLICANT, channel=Channel.POST, channel_date=date(2025, 4, 1))
    t.assign(unpaid, office, department("jiaojing"), "请办理", on=date(2025, 4, 2))
    t.notify_fee(unpaid, office, Decimal("200"), "按件计收：本月第31件", on=date(2025, 4, 3))
    t.close_fee_unpaid(unpaid, office, on=date(2025, 6, 3))
    report = build_report(ankang, 2025)
    assert report.cell("withhold:third_party", "legal_services") == 1 and report.cell("withhold", "total") == 1
    assert report.cell("other:fee_unpaid", "person") == 1
    assert report.cell("handled_total") == 2 and report.ok
    assert report.fee_notices == 2 and report.fees_collected == Decimal("100")


def test_every_cell_of_table_four(ankang, remedies_2025):
    report = build_report(ankang, 2025)
    for kind in RemedyKind.values:
        for outcome in [*RemedyOutcome.values, "total"]:
            assert report.remedies[kind][outcome] == remedies_2025[kind][outcome], (kind, outcome)
    assert report.remedies[RemedyKind.LAWSUIT_AFTER]["total"] == 12
    # a year later the late decision is known and the earlier cases are gone
    later = build_report(ankang, 2026)
    assert later.remedies[RemedyKind.RECONSIDERATION] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 3,  # 2 still undecided from before, 1 filed in 2026
        "total": 4,
    }


def test_remedies_recorded_through_the_transitions(ankang):
    req = make(ankang, "person", date(2025, 2, 3), date(2025, 2, 20), ("withhold", "third_party"))
    case = t.record_remedy(req, ANONYMOUS, RemedyKind.LAWSUIT_DIRECT, date(2025, 4, 1), authority="汉滨区人民法院")
    assert build_report(ankang, 2025).remedies[RemedyKind.LAWSUIT_DIRECT]["pending"] == 1
    t.decide_remedy(case, ANONYMOUS, RemedyOutcome.CORRECTED, date(2025, 9, 1))
    table = build_report(ankang, 2025).remedies[RemedyKind.LAWSUIT_DIRECT]
    assert (table["corrected"], table["pending"], table["total"]) == (1, 0, 1)


def test_seed_counts_fees_and_channels(ankang):
    paid = make(ankang, "person", date(2025, 4, 1))
    DisclosureRequest.objects.filter(pk=paid.pk).update(
        fee_state="paid", fee_amount=Decimal("300"), fee_notified_on=date(2025, 4, 2), fee_paid_on=date(2025, 4, 9)
    )
    late = make(ankang, "person", date(2025, 12, 1))
    DisclosureRequest.objects.filter(pk=late.pk).update(
        fee_state="paid", fee_amount=Decimal("50"), fee_notified_on=date(2025, 12, 2), fee_paid_on=date(2026, 1, 5)
    )
    DisclosureRequest.objects.filter(pk=late.pk).update(channel=Channel.IN_PERSON)
    report = build_report(ankang, 2025)
    assert report.fees_collected == Decimal("300") and report.fee_notices == 2
    assert report.requests_by_channel == {"online": 1, "in_person": 1, "post": 0, "email": 0, "fax": 0}
    assert build_report(ankang, 2026).fees_collected == Decimal("50")


def test_items_published_in_the_year(ankang, column):
    from datetime import datetime, time

    from wagtail.models import Page

    from cms.deadlines.calendar import CHINA_TZ
    from pages.models import GovernmentDocumentPage

    def published_in(year: int):
        start = datetime.combine(date(year, 1, 1), time.min, tzinfo=CHINA_TZ)
        end = datetime.combine(date(year, 12, 31), time.max, tzinfo=CHINA_TZ)
        root = ankang.site.root_page
        live = Page.objects.live().public().descendant_of(root).filter(first_published_at__range=(start, end))
        items = live.type(*_item_models()).count()
        documents = GovernmentDocumentPage.objects.filter(pk__in=live.values("pk"), disclosure_mode="proactive").count()
        return items, documents

    before = build_report(ankang, 2025)
    assert (before.published_items, before.published_government_information) == published_in(2025)
    # publish one article on 2025-06-01 (China time) and one just after the year
    article = Page.objects.live().descendant_of(ankang.site.root_page).type(*_item_models()).first()
    assert article is not None
    Page.objects.filter(pk=article.pk).update(first_published_at=datetime(2025, 6, 1, 9, tzinfo=CHINA_TZ))
    after = build_report(ankang, 2025)
    assert (after.published_items, after.published_government_information) == published_in(2025)
    assert after.published_items >= 1


def _item_models():
    from pages.models import ArticlePage, GovernmentDocumentPage, VideoPage

    return ArticlePage, VideoPage, GovernmentDocumentPage


def test_year_bounds_are_china_dates(ankang):
    """Requests and remedies on 1 January and 31 December belong to that year."""
    make(ankang, "person", date(2025, 1, 1), date(2025, 12, 31), ("partial", ""))
    make(ankang, "other", date(2024, 12, 31), date(2025, 1, 1), ("unable", "not_held"))
    report = build_report(ankang, 2025)
    assert (report.cell("new", "person"), report.cell("partial", "person")) == (1, 1)
    assert (report.cell("carried_in", "other"), report.cell("unable:not_held", "other")) == (1, 1)
    assert build_report(ankang, 2024).cell("carried_out", "other") == 1
    counts = Counter({k: v for k, v in build_report(ankang, 2025).row("carried_out").values.items() if v})
    assert not counts
