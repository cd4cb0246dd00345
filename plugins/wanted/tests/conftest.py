"""Fixtures of the wanted-notice tests: the people of the 刑警支队's column, a notice factory with a photo, an
outlet that receives the column, and a scan of every database table for personal strings."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from stdnum.cn import ric

from cms.review.gate import chain_bypass, record_clearance
from plugins.wanted.models import NoticeBulletin, NoticePhoto, WantedNotice

NAME = "祁望舒"
ALIAS = "舒老三"
HOUSEHOLD = "陕西省安康市汉滨区望舒路17号"
RESIDENCE = "浙江省宁波市鄞州区云栖巷9号"
FEATURES = "右手背有青色飞鸟纹身"
CASE = "2026年1月在汉滨区云栖茶楼持刀抢劫"
BULLETIN = "据查其曾在宁波云栖巷一带出现"


def id_number(born: datetime.date = datetime.date(1990, 1, 1), region: str = "610902", sequence: int = 123) -> str:
    """A valid 18-digit resident ID number (odd sequence: male)."""
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


ID = id_number()
#: Strings of the notice that must never survive its closing.
SECRETS = (NAME, ALIAS, ID, HOUSEHOLD, RESIDENCE, FEATURES, CASE, BULLETIN)


@pytest.fixture(autouse=True)
def fresh_counts():
    """Rate-limit counts of earlier tests do not carry over."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wstj(column):
    """The 网上通缉 column of ankang."""
    return column("xxgk/wstj")


@pytest.fixture
def people(member):
    """The criminal police's editor, head and column administrator, the secrecy office and outsiders."""
    return {
        "editor": member("xingjing", "editors"),
        "head": member("xingjing", "heads"),
        "admin": member("xingjing", "admins"),
        "secrecy": member("baomi", "heads"),
        "other_editor": member("xuanchuan", "editors"),
        "other_head": member("xuanchuan", "heads"),
    }


def png(color: tuple[int, int, int] = (120, 130, 140), size: tuple[int, int] = (60, 80)) -> bytes:
    """A small PNG."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg() -> bytes:
    """A small JPEG."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 10, 10)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def image_factory(db):
    """Return a function creating a Wagtail image from a generated PNG."""
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    def make(title: str = f"{NAME}照片") -> object:
        return get_image_model().objects.create(title=title, file=ImageFile(io.BytesIO(png()), name="photo.png"))

    return make


@pytest.fixture
def make_notice(wstj, people, image_factory, department):
    """Return a function creating a draft notice (with a photo) in 网上通缉; fields can be overridden."""

    def make(photo: bool = True, **fields) -> WantedNotice:
        values = {
            "number": "安公（刑）缉字〔2026〕7号",
            "level": "city",
            "scope": "全国",
            "subject_name": NAME,
            "other_names": ALIAS,
            "sex": "male",
            "id_number": ID,
            "ethnicity": "汉族",
            "native_place": "陕西省安康市",
            "household_address": HOUSEHOLD,
            "residence_address": RESIDENCE,
            "height_cm": 175,
            "accent": "陕南口音",
            "build": "偏瘦",
            "features": FEATURES,
            "habits": "嗜酒",
            "clothing": "黑色羽绒服",
            "case_time": "2026年1月",
            "case_place": "汉滨区云栖茶楼",
            "case_region": "陕西省安康市汉滨区",
            "charge": "抢劫罪",
            "case_summary": CASE,
            "reward_amount": 20000,
            "reward_text": "提供线索抓获的奖励2万元",
            "contact_unit": "安康市公安局刑侦支队",
            "contact_phones": "0915-3237000",
            "date": timezone.localdate() - datetime.timedelta(days=30),
            "owner": people["editor"],
            "live": False,
        }
        values.update(fields)
        notice = WantedNotice(**values)
        if photo:
            notice.photos = [NoticePhoto(image=image_factory(), caption="正面照")]
        wstj.add_child(instance=notice)
        notice.save_revision(user=values["owner"])
        return WantedNotice.objects.get(pk=notice.pk)

    return make


def publish(notice: WantedNotice, user=None, reason: str = "测试发布") -> WantedNotice:
    """Clear the latest revision's secrecy findings and publish it outside the chain."""
    revision = notice.get_latest_revision()
    record_clearance(revision.as_object(), revision, user, "测试：同意公开通缉令，身份证号码对外隐去中间八位。")
    with chain_bypass(reason):
        revision.publish(user=user)
    return WantedNotice.objects.get(pk=notice.pk)


def add_bulletin(notice: WantedNotice, user=None, text: str = BULLETIN, **changes) -> WantedNotice:
    """Save a new revision with a supplementary bulletin (and other changes)."""
    draft = notice.get_latest_revision_as_object()
    draft.bulletins = [*draft.bulletins.all(), NoticeBulletin(number="补发〔2026〕1号", text=text)]
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision(user=user)
    return WantedNotice.objects.get(pk=notice.pk)


@pytest.fixture
def weibo(ankang, settings):
    """The ankang Weibo outlet (it receives 网上通缉) with an endpoint, so deliveries are written."""
    from cms.outlets.models import Outlet

    outlet = Outlet.objects.get(portal=ankang, kind="weibo")
    outlet.endpoint_url = "http://127.0.0.1:9/hook"
    outlet.enabled = True
    outlet.save()
    return outlet


def table_rows_with(needles: tuple[str, ...]) -> dict[str, list[str]]:
    """Every table of the database (Django's and the full-text tables alike) read raw: for each needle, the
    tables holding it in any column. What a closed notice must leave nowhere."""
    found: dict[str, list[str]] = {}
    tables = connection.introspection.table_names(include_views=False)
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "sqlite" and table.startswith("sqlite_"):
                continue
            try:
                with transaction.atomic():  # a failed read must not break the test's transaction
                    cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                    rows = cursor.fetchall()
            except Exception:  # FTS shadow tables and the like that cannot be read directly
                continue
            text = "\n".join(repr(row) for row in rows)
            for needle in needles:
                escaped = json.dumps(needle)[1:-1]  # JSON text columns keep non-ASCII as \\uXXXX
                if needle in text or escaped in text or escaped.replace("\\", "\\\\") in text:
                    found.setdefault(needle, []).append(table)
    return found


def submit(page, user):
    """Start the page's review chain."""
    return page.get_workflow().start(page, user)


def act(page, user, action: str = "approve", comment: str = "") -> None:
    """Decide the page's current review step as `user`."""
    page.refresh_from_db()
    state = page.current_workflow_task_state
    state.task.specific.on_action(state, user, action, comment=comment)
    page.refresh_from_db()


def outlet_key(outlet) -> str:
    """A read-only feed token of an outlet."""
    from api.models import ApiToken

    return ApiToken.issue(outlet, "测试")[1]
