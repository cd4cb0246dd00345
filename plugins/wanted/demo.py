"""Demo wanted notices for `manage.py setup_demo`: clearly fictitious people (invented names, ID numbers that
pass the checksum but name nobody, generated placeholder photos — no photo of a real person) at the A, B,
provincial and city levels, one of them updated by a supplementary bulletin and a higher reward, and one
closed (captured), so the list, the detail, the 410 answer, the tip form and the admin have something to show.

Each notice passes the secrecy review (its ID number is a finding: the demo administrator clears it with a
written opinion, as the secrecy office would) and is published outside the chain with a recorded reason, like
the profile's demo content. Idempotent: a notice whose number exists in the portal is left as it is.
"""

from __future__ import annotations

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from stdnum.cn import ric

from cms.models import Portal
from cms.review.gate import chain_bypass, record_clearance

from .choices import NoticeLevel
from .lifecycle import close_notice
from .models import NoticeBulletin, NoticePhoto, WantedNotice

COLUMN = "xxgk/wstj"
BYPASS = "演示数据导入（网上通缉 load_demo）"
OPINION = "演示数据：身份证号码系虚构的示例号码，通缉令依法公开，对外显示时中间八位已隐去。同意发布。"
CONTACT = "安康市公安局刑事侦查支队"
PHONES = "0915-3237000、110"


def fictitious_id(region: str, born: datetime.date, sequence: int) -> str:
    """An 18-digit ID number with a valid check digit for a made-up person (odd sequence: male)."""
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


DEMO = [
    {
        "number": "公（刑）缉字〔2026〕演示001号",
        "level": NoticeLevel.A,
        "issuing_organ": "公安部",
        "scope": "全国",
        "subject_name": "李示例",
        "other_names": "李小样、阿例",
        "sex": "male",
        "born": datetime.date(1988, 3, 14),
        "region": "610902",
        "sequence": 531,
        "ethnicity": "汉族",
        "native_place": "陕西省安康市汉滨区",
        "household_address": "陕西省安康市汉滨区示例镇演示村一组",
        "residence_address": "不详",
        "height_cm": 172,
        "accent": "陕南口音",
        "build": "体型偏瘦",
        "features": "（演示）左眉有一处约1厘米的疤痕。",
        "habits": "（演示）吸烟，常戴鸭舌帽。",
        "clothing": "（演示）出逃时身穿深色夹克、牛仔裤。",
        "case_time": "2026年1月8日晚",
        "case_place": "安康市汉滨区某小区（演示）",
        "case_region": "陕西省安康市汉滨区",
        "charge": "故意杀人罪",
        "case_summary": "（演示数据）2026年1月8日晚，犯罪嫌疑人李示例在安康市汉滨区某小区内持刀行凶后潜逃。",
        "reward_amount": 50000,
        "reward_text": "对提供线索直接抓获犯罪嫌疑人的，奖励人民币5万元。",
        "days_ago": 60,
        "update": {
            "reward_amount": 100000,
            "reward_text": "对提供线索直接抓获犯罪嫌疑人的，奖励人民币10万元。",
            "bulletin": (
                "补发〔2026〕演示001号",
                20,
                "（演示数据）经查，该嫌疑人可能已前往外省，悬赏金额提高至10万元。",
            ),
        },
    },
    {
        "number": "陕公（刑）缉字〔2026〕演示002号",
        "level": NoticeLevel.B,
        "issuing_organ": "陕西省公安厅",
        "scope": "全国",
        "subject_name": "王演示",
        "other_names": "",
        "sex": "female",
        "born": datetime.date(1992, 11, 2),
        "region": "610921",
        "sequence": 244,
        "ethnicity": "汉族",
        "native_place": "陕西省安康市汉阴县",
        "household_address": "陕西省安康市汉阴县示例路88号",
        "residence_address": "浙江省某市（演示）",
        "height_cm": 160,
        "accent": "普通话",
        "build": "中等体型",
        "features": "（演示）长发，戴眼镜。",
        "habits": "",
        "clothing": "",
        "case_time": "2025年9月",
        "case_place": "安康市汉阴县",
        "case_region": "陕西省安康市汉阴县",
        "charge": "集资诈骗罪",
        "case_summary": "（演示数据）犯罪嫌疑人王演示以高息为诱饵非法集资，涉案金额巨大，案发后潜逃。",
        "reward_amount": 20000,
        "reward_text": "提供有效线索的，奖励人民币2万元。",
        "days_ago": 40,
    },
    {
        "number": "陕公缉字〔2026〕演示003号",
        "level": NoticeLevel.PROVINCE,
        "issuing_organ": "陕西省公安厅",
        "scope": "陕西省",
        "subject_name": "赵样本",
        "other_names": "赵三（演示）",
        "sex": "male",
        "born": datetime.date(1979, 6, 30),
        "region": "610981",
        "sequence": 117,
        "ethnicity": "汉族",
        "native_place": "陕西省安康市旬阳市",
        "household_address": "陕西省安康市旬阳市示例街道",
        "residence_address": "",
        "height_cm": 178,
        "accent": "陕南口音",
        "build": "体型偏胖",
        "features": "",
        "habits": "",
        "clothing": "",
        "case_time": "2025年12月3日",
        "case_place": "旬阳市某路段",
        "case_region": "陕西省安康市旬阳市",
        "charge": "抢劫罪",
        "case_summary": "（演示数据）犯罪嫌疑人赵样本伙同他人持械抢劫过往车辆后逃匿。",
        "reward_amount": 10000,
        "reward_text": "",
        "days_ago": 25,
    },
    {
        "number": "安公（刑）缉字〔2026〕演示004号",
        "level": NoticeLevel.CITY,
        "issuing_organ": "",
        "scope": "安康市",
        "subject_name": "钱虚构",
        "other_names": "",
        "sex": "male",
        "born": datetime.date(2001, 1, 21),
        "region": "610924",
        "sequence": 375,
        "ethnicity": "汉族",
        "native_place": "陕西省安康市紫阳县",
        "household_address": "陕西省安康市紫阳县示例镇",
        "residence_address": "",
        "height_cm": 170,
        "accent": "紫阳口音",
        "build": "",
        "features": "",
        "habits": "（演示）常出入网吧。",
        "clothing": "",
        "case_time": "2026年2月",
        "case_place": "安康市高新区",
        "case_region": "陕西省安康市",
        "charge": "盗窃罪",
        "case_summary": "（演示数据）犯罪嫌疑人钱虚构多次入户盗窃，涉案价值较大。",
        "reward_amount": 5000,
        "reward_text": "",
        "days_ago": 10,
    },
    {
        "number": "安公（刑）缉字〔2025〕演示005号",
        "level": NoticeLevel.CITY,
        "issuing_organ": "",
        "scope": "安康市",
        "subject_name": "孙假名",
        "other_names": "",
        "sex": "male",
        "born": datetime.date(1995, 5, 5),
        "region": "610902",
        "sequence": 153,
        "ethnicity": "汉族",
        "native_place": "陕西省安康市汉滨区",
        "household_address": "陕西省安康市汉滨区示例路1号",
        "residence_address": "",
        "height_cm": 175,
        "accent": "",
        "build": "",
        "features": "",
        "habits": "",
        "clothing": "",
        "case_time": "2025年10月",
        "case_place": "安康市汉滨区",
        "case_region": "陕西省安康市汉滨区",
        "charge": "故意伤害罪",
        "case_summary": "（演示数据）犯罪嫌疑人孙假名故意伤害他人致重伤后潜逃。",
        "reward_amount": 5000,
        "reward_text": "",
        "days_ago": 90,
        "close": ("captured", 5, "（演示）犯罪嫌疑人已于近日被抓获归案，感谢社会各界的支持。"),
    },
]


def placeholder_png(label: str, width: int = 240, height: int = 320) -> bytes:
    """A generated placeholder portrait (grey silhouette, a label): no photo of anyone."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (width, height), (214, 219, 226))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((width * 0.3, height * 0.12, width * 0.7, height * 0.45), fill=(140, 148, 160))
    draw.rounded_rectangle((width * 0.15, height * 0.5, width * 0.85, height * 1.05), 40, fill=(140, 148, 160))
    draw.rectangle((0, height - 34, width, height), fill=(179, 0, 0))
    draw.text((10, height - 26), label, fill=(255, 255, 255))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _image(serial: int):
    from wagtail.images import get_image_model

    Image = get_image_model()
    data = placeholder_png(f"DEMO {serial:03d} - not a real person")
    return Image.objects.create(
        title=f"演示照片（虚构人物）{serial:03d}", file=ImageFile(io.BytesIO(data), name=f"demo-{serial:03d}.png")
    )


def load_demo(portal: Portal) -> list[str]:
    """Create the demo notices in `portal` (those not there yet); returns what was created."""
    from pages.models import ColumnPage

    home = portal.site.root_page
    column = ColumnPage.objects.filter(profile_key=COLUMN, path__startswith=home.path).first()
    if column is None:
        return []
    department = portal.departments.filter(code="xingjing").first()
    admin = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    created = []
    today = timezone.localdate()
    for serial, spec in enumerate(DEMO, start=1):
        if WantedNotice.objects.filter(number=spec["number"], path__startswith=home.path).exists():
            continue
        notice = _create(column, spec, serial, department, admin, today)
        created.append(f"{notice.title} ({notice.get_status_display()})")
    return created


def _create(column, spec: dict, serial: int, department, admin, today: datetime.date) -> WantedNotice:
    fields = {k: v for k, v in spec.items() if k not in {"born", "region", "sequence", "days_ago", "update", "close"}}
    notice = WantedNotice(
        **fields,
        birth_date=spec["born"],
        id_number=fictitious_id(spec["region"], spec["born"], spec["sequence"]),
        date=today - datetime.timedelta(days=spec["days_ago"]),
        contact_unit=CONTACT,
        contact_phones=PHONES,
        author_department=department,
        owner=admin,
        live=False,
    )
    notice.photos = [NoticePhoto(image=_image(serial), caption="演示照片，非真实人物")]
    column.add_child(instance=notice)
    _publish(notice, admin)
    update = spec.get("update")
    if update:
        draft = WantedNotice.objects.get(pk=notice.pk)
        draft.reward_amount = update["reward_amount"]
        draft.reward_text = update["reward_text"]
        number, days, text = update["bulletin"]
        draft.bulletins = [NoticeBulletin(number=number, issued_on=today - datetime.timedelta(days=days), text=text)]
        _publish(draft, admin)
    close = spec.get("close")
    notice = WantedNotice.objects.get(pk=notice.pk)
    if close:
        status, days, text = close
        notice = close_notice(notice, status, today - datetime.timedelta(days=days), text, admin)
    return notice


def _publish(notice: WantedNotice, admin) -> None:
    """Save a revision, clear its secrecy findings with the demo opinion, publish it outside the chain."""
    revision = notice.save_revision(user=admin, log_action=True)
    record_clearance(revision.as_object(), revision, admin, OPINION)
    with chain_bypass(BYPASS):
        revision.publish(user=admin, log_action=True)
