"""Fixed vocabularies of a service guide (办事指南).

Item types and material forms are the national standard's own terms (国家政务服务平台 事项要素), kept in
Chinese whatever the interface language: they are printed on guides and scored by inspections as written.
"""

from django.db import models


class ItemType(models.TextChoices):
    """Kind of a government service item (事项类型)."""

    LICENCE = "licence", "行政许可"
    CONFIRMATION = "confirmation", "行政确认"
    PAYMENT = "payment", "行政给付"
    RULING = "ruling", "行政裁决"
    REWARD = "reward", "行政奖励"
    INSPECTION = "inspection", "行政检查"
    OTHER_POWER = "other_power", "其他行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"


class MaterialForm(models.TextChoices):
    """In what form an application material is handed in (材料形式)."""

    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    ORIGINAL_AND_COPY = "original_and_copy", "原件和复印件"
    ELECTRONIC = "electronic", "电子件"


class GuideStatus(models.TextChoices):
    """Whether a published guide is in force or was withdrawn (kept visible with its notice)."""

    IN_FORCE = "in_force", "现行有效"
    WITHDRAWN = "withdrawn", "已废止"
