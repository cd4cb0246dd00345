"""Builders of 网上办事 test data: complete guides, hotlines, locations and forms in the ankang portal."""

from __future__ import annotations

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms.review.gate import chain_bypass
from plugins.online_services.models import (
    Condition,
    Hotline,
    LegalBasis,
    Material,
    Question,
    ServiceForm,
    ServiceFormGuide,
    ServiceGuidePage,
    ServiceLocation,
    Step,
)


def document(title: str = "户口迁移申请表", name: str = "hukou.docx"):
    """A small Wagtail document."""
    return get_document_model().objects.create(title=title, file=ContentFile(b"PK\x03\x04 demo", name=name))


def location(portal, name: str = "安康市政务服务中心公安综合窗口", county=None) -> ServiceLocation:
    """A service location of `portal`."""
    return ServiceLocation.objects.create(
        portal=portal,
        name=name,
        address="安康市汉滨区安康大道88号市政务服务中心二楼",
        hours="周一至周五 8:30-12:00，14:30-17:30（法定节假日除外）",
        county=county,
    )


def hotline(police_type, name: str = "户籍业务咨询电话", number: str = "0915-3210001", county=None, **extra) -> Hotline:
    """A hotline of the police type's portal."""
    return Hotline.objects.create(
        police_type=police_type,
        county=county,
        department=extra.pop("department", f"{police_type.name}业务窗口"),
        name=name,
        number=number,
        hours=extra.pop("hours", "工作日 8:30-17:30"),
        **extra,
    )


def guide(department, ankang, title: str = "户口迁移（市外迁入）", complete: bool = True, **fields) -> ServiceGuidePage:
    """An unsaved guide; with `complete`, every required element is filled in (children in memory)."""
    page = ServiceGuidePage(title=title, live=False, **fields)
    if not complete:
        return page
    police_type = department("huzheng")
    page.item_code = fields.get("item_code", "610900-GA-QR-0001")
    page.item_type = fields.get("item_type", "confirmation")
    page.implementing_organ = fields.get("implementing_organ", "安康市公安局户政管理支队")
    page.scope = "户籍拟迁入安康市的中国公民"
    page.statutory_days = 20
    page.promised_days = 10
    page.is_free = True
    page.consultation_phone = hotline(police_type)
    page.complaint_phone = hotline(police_type, name="户政业务监督投诉电话", number="0915-3210002")
    page.legal_bases = [LegalBasis(name="《中华人民共和国户口登记条例》", provisions="第十条、第十三条")]
    page.conditions = [Condition(text="在迁入地有合法稳定住所"), Condition(text="符合迁入地落户政策")]
    page.materials = [
        Material(name="居民户口簿", form="original", copies=1, required=True),
        Material(name="户口迁移申请表", form="original", copies=1, required=True, document=document()),
    ]
    page.steps = [Step(title="申请", description="申请人到窗口提交材料"), Step(title="受理", description="审核材料")]
    page.faqs = [Question(question="可以网上办理吗？", answer="可以通过陕西政务服务网申请。")]
    page.locations = [location(ankang)]
    return page


def add(page: ServiceGuidePage, column) -> ServiceGuidePage:
    """Add `page` under `column` and save its first revision."""
    column.add_child(instance=page)
    page.save_revision()
    return page


def publish(page: ServiceGuidePage) -> ServiceGuidePage:
    """Publish the latest revision outside the chain (as imports do)."""
    with chain_bypass("测试"):
        page.get_latest_revision().publish()
    return ServiceGuidePage.objects.get(pk=page.pk)


def service_form(police_type, title: str = "户口迁移申请表", guides=(), doc=None) -> ServiceForm:
    """A form of the forms library linked to `guides`."""
    form = ServiceForm(police_type=police_type, title=title, document=doc or document(title, "form.docx"))
    form.guide_links = [ServiceFormGuide(guide=g) for g in guides]
    form.save()
    return form


def demo_hotlines(portal):
    """The demo directory's 180 numbers (demo/hotlines_ankang.csv), imported as the demo does."""
    from plugins.online_services.demo import HOTLINES_CSV
    from plugins.online_services.hotline_import import import_text

    return import_text(portal, HOTLINES_CSV.read_text(encoding="utf-8"))


def query_count_items(column, department, ankang, many: int) -> None:
    """At least `many` live guides (each with its own children, places, phones and forms) and forms, for the
    query-count test of every public listing (tests/test_api_queries.py)."""
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    bszn = column("wsbs/huzheng/bszn")
    police_type = department("huzheng")
    image = get_image_model().objects.create(title="流程图", file=get_test_image_file("flow.png"))
    for i in range(many):
        page = guide(department, ankang, title=f"查询计数办事指南{i}", item_code=f"QC-{i}")
        page.flow_chart = image
        page.locations = [location(ankang, name=f"查询计数窗口{i}", county=department("hanbin"))]
        publish(add(page, bszn))
        service_form(police_type, title=f"查询计数表格{i}", guides=[ServiceGuidePage.objects.get(title=page.title)])
