"""The content scanner: pages, rich text, documents, tags, inline attachments, StreamFields; the digest."""

from __future__ import annotations

import datetime

import pytest
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.models import Page

from cms.privacy import Finding
from cms.secrecy.scanner import findings_digest, html_to_text, scan_object, scan_stream
from cms.secrecy.tests.test_detectors import SECRECY_LAW_ARTICLE

pytestmark = pytest.mark.django_db


def where(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.field, f.kind, f.text) for f in findings}


def add_article(column, **fields):
    from pages.models import ArticlePage

    fields.setdefault("slug", f"article-{ArticlePage.objects.count() + 1}")
    fields.setdefault("live", False)  # a draft: going live needs the review chain (cms.review)
    return column.add_child(instance=ArticlePage(**fields))


def test_a_clean_article_has_no_findings(no_terms, news_column):
    body = "".join(f"<p>{line}</p>" for line in SECRECY_LAW_ARTICLE.splitlines()[1:])
    article = add_article(
        news_column,
        title=SECRECY_LAW_ARTICLE.splitlines()[0],
        summary="市公安局组织学习保守国家秘密法。",
        body=body + "<p>报警电话：110；反诈专线：96110。</p>",
    )
    assert scan_object(article) == []


def test_findings_in_title_body_and_a_linked_document(no_terms, term, news_column, document):
    term("警力部署", "police_tactics")
    doc = document("机密★3年 安保方案", "秘密★文件.pdf")  # the storage drops the ★: 秘密文件.pdf
    article = add_article(
        news_column,
        title="秘密★1年 关于元旦安保工作的通知",
        summary="节日期间警力部署情况。",
        body=(
            "<p>【内部资料 注意保密】</p>"
            "<p>联系人：张警官，手机13912345678，办公电话0915-3268110。</p>"
            f'<p>详见<a linktype="document" id="{doc.pk}">附件</a>，'
            f'另见<a linktype="document" id="{doc.pk}">附件（重复链接）</a>。</p>'
        ),
    )
    findings = scan_object(article)
    assert where(findings) == {
        ("title", "classification", "秘密★1年"),
        ("summary", "sensitive_term", "警力部署"),
        ("body", "classification", "【内部资料 注意保密】"),
        ("body", "mobile", "13912345678"),
        ("body", "landline", "0915-3268110"),
        (f"body.document({doc.pk}).title", "classification", "机密★3年"),
        (f"body.document({doc.pk}).file", "classification", "秘密文件"),
    }
    assert len(findings) == len(where(findings))  # the document linked twice is reported once


def test_a_revision_rebuilt_by_the_publication_gate_scans_the_same(no_terms, news_column):
    article = add_article(news_column, title="警务要闻", body="<p>正文</p>")
    article.body = "<p>秘密</p><p>关于……</p>"
    article.tags.add("内部资料")
    revision = article.save_revision()
    findings = scan_object(revision.as_object())
    assert where(findings) == {("body", "classification", "秘密"), ("tags[0]", "classification", "内部资料")}


def test_a_generic_page_is_scanned_as_its_specific_type(no_terms, news_column):
    article = add_article(news_column, title="警务要闻", body="<p>密级：机密</p>")
    assert where(scan_object(Page.objects.get(pk=article.pk))) == {("body", "classification", "密级：机密")}


def test_generated_and_non_content_fields_are_skipped(no_terms, news_column):
    article = add_article(
        news_column,
        title="警务要闻",
        slug="13912345678",
        seo_title="内部资料",
        search_description="联系电话029-88888888",
        reprint_source_site="某某网",
        reprint_source_url="https://example.org/13912345678/秘密★1年",
        reprint_source_time=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
    )
    assert where(scan_object(article)) == {
        ("seo_title", "classification", "内部资料"),
        ("search_description", "landline", "029-88888888"),
    }


def test_a_document_foreign_key(no_terms, news_column, document):
    from pages.models import VideoPage

    video = news_column.add_child(
        instance=VideoPage(
            title="视频新闻", slug="video-1", live=False, video_file=document("审讯视频", "内部资料_审讯.mp4")
        )
    )
    assert where(scan_object(video)) == {("video_file.file", "classification", "内部资料")}


def test_inline_attachments(no_terms, news_column, document):
    from pages.models import GovernmentDocumentAttachment, GovernmentDocumentPage

    page = GovernmentDocumentPage(
        title="关于进一步规范户籍业务办理的通知",
        slug="gov-doc-1",
        live=False,
        document_number="安公发〔2026〕12号",
        publishing_organ="安康市公安局",
        body="<p>各县区公安局：</p><p>现将有关事项通知如下。</p>",
    )
    page.attachments = [
        GovernmentDocumentAttachment(document=document("户籍业务办理指南", "guide.pdf"), title="办理指南"),
        GovernmentDocumentAttachment(
            document=document("警务工作秘密★ 户籍核查规则", "rules.pdf"), title="联系人手机18691503267"
        ),
    ]
    news_column.add_child(instance=page)
    assert where(scan_object(page)) == {
        ("attachments[1].document.title", "classification", "警务工作秘密★"),
        ("attachments[1].title", "mobile", "18691503267"),
    }


def test_a_stream_field_value_is_walked():
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    doc = Document(title="绝密★长期")
    doc.file.save("plan.pdf", ContentFile(b"x"), save=False)
    doc.save()
    stream = blocks.StreamBlock(
        [
            ("heading", blocks.CharBlock()),
            ("paragraph", blocks.RichTextBlock()),
            ("file", DocumentChooserBlock()),
            (
                "section",
                blocks.StructBlock([("title", blocks.CharBlock()), ("items", blocks.ListBlock(blocks.TextBlock()))]),
            ),
            ("link", blocks.URLBlock()),
            ("html", blocks.RawHTMLBlock()),
        ]
    )
    value = stream.to_python(
        [
            {"type": "heading", "value": "工作部署"},
            {"type": "paragraph", "value": "<p>秘密★1年</p>"},
            {"type": "file", "value": doc.pk},
            {"type": "section", "value": {"title": "【内部】", "items": ["第一项", "联系电话(0915)3268110"]}},
            {"type": "link", "value": "https://example.org/?tel=13912345678"},
            {"type": "html", "value": "<div>不得外传</div>"},
        ]
    )
    assert where(scan_stream(value, "content")) == {
        ("content[1].paragraph", "classification", "秘密★1年"),
        ("content[2].file.title", "classification", "绝密★长期"),
        ("content[3].section.title", "classification", "【内部】"),
        ("content[3].section.items[1]", "landline", "(0915)3268110"),
        ("content[5].html", "classification", "不得外传"),
    }


def test_html_to_text_keeps_paragraphs_apart():
    assert html_to_text("<h2>秘密</h2><p>关于&nbsp;调整&amp;部署</p><script>x</script>") == "秘密\n关于\xa0调整&部署\n"


class TestDigest:
    findings = [
        Finding("classification", "秘密★1年", 0, 6, field="title"),
        Finding("mobile", "13912345678", 10, 21, field="body"),
    ]

    def test_stable_and_order_independent(self):
        digest = findings_digest(self.findings)
        assert len(digest) == 64
        assert digest == findings_digest(list(reversed(self.findings)))

    def test_positions_and_repeats_do_not_matter(self):
        moved = [Finding("classification", "秘密★1年", 5, 11, field="title"), *self.findings]
        assert findings_digest(moved) == findings_digest(self.findings)

    def test_a_different_text_field_or_kind_changes_it(self):
        digest = findings_digest(self.findings)
        assert findings_digest([*self.findings[:1], Finding("mobile", "13912345679", 10, 21, field="body")]) != digest
        assert (
            findings_digest([*self.findings[:1], Finding("mobile", "13912345678", 10, 21, field="summary")]) != digest
        )
        assert findings_digest(self.findings[:1]) != digest
        assert findings_digest([]) != digest
