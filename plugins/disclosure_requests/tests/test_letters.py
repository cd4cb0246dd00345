"""Answer letters (答复书): a DOCX for every answer type and reason, from editable templates."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from plugins.disclosure_requests import transitions as t
from plugins.disclosure_requests.choices import REASONS, AnswerType
from plugins.disclosure_requests.letters import (
    BASIS,
    DEFAULT_TEMPLATES,
    LetterError,
    install_default_templates,
    render_letter,
    render_text,
)
from plugins.disclosure_requests.models import LetterTemplate

from .answer_fixtures import assigned, office_admin, reviewers  # noqa: F401

ALL_CASES = [(answer_type, reason) for answer_type, reasons in REASONS.items() for reason in (reasons or {"": ""})]


def paragraphs(answer) -> list[str]:
    document = Document(io.BytesIO(render_letter(answer, today=date(2025, 3, 20))))
    return [p.text for p in document.paragraphs]


def draft(req, user, answer_type, reason="", **fields):
    fields.setdefault("body", "答复正文。")
    if reason == "not_held":
        fields.setdefault("right_organ", "安康市交通运输局（电话0915-1234567）")
    return t.draft_answer(req, user, answer_type=answer_type, reason=reason, **fields)


@pytest.mark.parametrize(("answer_type", "reason"), ALL_CASES)
def test_a_letter_for_every_answer_type_and_reason(assigned, office_admin, answer_type, reason):  # noqa: F811
    answer = draft(assigned, office_admin, answer_type, reason)
    text = paragraphs(answer)
    assert text[0] == "政府信息公开申请答复书"
    assert text[1] == f"安康公安依申复〔2025〕{assigned.serial}号"
    assert text[2] == "张三："
    body = "\n".join(text)
    assert assigned.number in body and "2025年3月3日" in body and "2025年交通事故统计" in body
    assert "答复正文。" in body
    assert "六十日内" in body and "行政复议" in body and "六个月内" in body and "行政诉讼" in body
    assert text[-3] == "安康市公安局" and text[-2] == "2025年3月20日" and text[-1] == "（印章）"
    if BASIS.get(reason):
        assert BASIS[reason] in body  # each reason cites its legal basis
    if answer_type in (AnswerType.WITHHOLD, AnswerType.NOT_PROCESSED) and reason != "publication":
        assert REASONS[answer_type][reason] in body
    assert "11010519491231002X" not in body and "13800138000" not in body  # no ID number or phone


@pytest.mark.parametrize(
    ("reason", "article"),
    [
        ("state_secret", "第十四条"),
        ("third_party", "第十五条"),
        ("internal_affairs", "第十六条第一款"),
        ("process_info", "第十六条第二款"),
        ("enforcement_file", "第十六条第二款"),
    ],
)
def test_withholding_cites_its_article(assigned, office_admin, reason, article):  # noqa: F811
    body = "\n".join(paragraphs(draft(assigned, office_admin, AnswerType.WITHHOLD, reason)))
    assert f"《中华人民共和国政府信息公开条例》{article}" in body and "决定不予公开" in body


def test_not_ours_names_the_competent_organ(assigned, office_admin):  # noqa: F811
    body = "\n".join(paragraphs(draft(assigned, office_admin, AnswerType.UNABLE, "not_held")))
    assert "该信息的公开机关为：安康市交通运输局（电话0915-1234567），请您向其提出申请。" in body


def test_already_public_points_to_where_it_is(assigned, office_admin):  # noqa: F811
    where = "安康市公安局门户网站“政府信息公开”栏目"
    answer = draft(assigned, office_admin, AnswerType.DISCLOSE, already_public_at=where)
    assert f"您申请的信息已经主动公开，您可以通过以下方式获取：{where}" in paragraphs(answer)
    publication = draft(assigned, office_admin, AnswerType.NOT_PROCESSED, "publication", already_public_at="新华书店")
    assert "您可以通过以下途径获取：新华书店" in "\n".join(paragraphs(publication))


def test_the_most_specific_template_wins(assigned, office_admin, ankang):  # noqa: F811
    answer = draft(assigned, office_admin, AnswerType.NOT_PROCESSED, "repeated", body="x")
    assert "本机关不予处理" in render_text(answer)[1]
    LetterTemplate.objects.create(
        answer_type="not_processed", reason="repeated", name="全局重复", body="全局{{ reason }}"
    )
    assert render_text(answer)[1] == "全局重复申请"
    LetterTemplate.objects.create(portal=ankang, answer_type="not_processed", name="本局不予处理", body="本局通用")
    assert render_text(answer)[1] == "本局通用"  # the portal's own template before a global one
    own = LetterTemplate.objects.create(
        portal=ankang, answer_type="not_processed", reason="repeated", name="本局重复", title="答复书", body="本局重复"
    )
    assert render_text(answer) == ("答复书", "本局重复")
    own.active = False
    own.save()
    assert render_text(answer)[1] == "本局通用"  # inactive templates are skipped


def test_context_values_are_plain_text(assigned, office_admin):  # noqa: F811
    answer = draft(assigned, office_admin, AnswerType.DISCLOSE)
    answer.body = "<b>加粗</b>的答复<script>alert(1)</script>\n第二段"
    answer.save()
    LetterTemplate.objects.create(
        portal=assigned.portal,
        answer_type="disclose",
        name="试探",
        body="{{ answer.body }}\n[{{ answer.drafted_by.password }}][{{ request.id_number }}][{{ request.portal }}]",
    )
    assert render_text(answer)[1] == "加粗的答复\n第二段\n[][][]"


@pytest.mark.parametrize("body", ["{% debug %}", "{% load static %}", "{% include 'x.html' %}", "{% if %}"])
def test_a_broken_or_forbidden_template_is_refused(assigned, office_admin, body):  # noqa: F811
    answer = draft(assigned, office_admin, AnswerType.DISCLOSE)
    LetterTemplate.objects.create(portal=assigned.portal, answer_type="disclose", name="坏模板", body=body)
    with pytest.raises(LetterError):
        render_letter(answer)


def test_default_templates_install_once_and_keep_edits(db):
    LetterTemplate.objects.all().delete()
    assert install_default_templates() == len(DEFAULT_TEMPLATES)
    edited = LetterTemplate.objects.get(answer_type="withhold", reason="")
    edited.body = "本局修改过的文本"
    edited.save()
    assert install_default_templates() == 0
    edited.refresh_from_db()
    assert edited.body == "本局修改过的文本"


def test_templates_are_edited_as_snippets(client, office_admin, ankang):  # noqa: F811
    client.force_login(office_admin)
    url = "/admin/snippets/disclosure_requests/lettertemplate/add/"
    data = {"name": "本局予以公开", "portal": ankang.pk, "answer_type": "disclose", "reason": "", "title": "答复书"}
    refused = client.post(url, {**data, "body": "{% debug %}", "active": "on"})
    assert refused.status_code == 200 and not LetterTemplate.objects.filter(name="本局予以公开").exists()
    assert "debug" in refused.content.decode()
    client.post(url, {**data, "body": "{{ request.applicant_name }}：\n予以公开。", "active": "on"})
    template = LetterTemplate.objects.get(name="本局予以公开")
    assert template.portal == ankang and template.body.startswith("{{ request.applicant_name }}")


def test_letter_download_needs_sight_of_the_request(client, assigned, office_admin, reviewers):  # noqa: F811
    answer = draft(assigned, office_admin, AnswerType.DISCLOSE)
    url = f"/admin/disclosure-requests/letters/{answer.pk}/"
    client.force_login(reviewers["editor"])  # the handling department
    response = client.get(url)
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert response["Content-Disposition"] == f'attachment; filename="answer-2025-{assigned.serial:04d}.docx"'
    assert "no-store" in response["Cache-Control"]
    client.force_login(reviewers["stranger"])
    denied = client.get(url)
    assert denied.status_code == 403 and denied.content[:2] != b"PK"
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
