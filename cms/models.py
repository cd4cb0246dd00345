"""Core models: a portal (one loaded profile on one Wagtail site) and its departments."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site


class Portal(models.Model):
    """One bureau's portal: the profile it was loaded from and the Wagtail site that serves it."""

    profile = models.SlugField(_("profile"), max_length=64, unique=True)
    name = models.CharField(_("bureau name"), max_length=128)
    short_name = models.CharField(_("short name"), max_length=64)
    organisation_code = models.CharField(_("organisation code"), max_length=32, blank=True)
    index_pattern = models.CharField(
        _("index number pattern"),
        max_length=64,
        default="{org}/{year}-{serial:06d}",
        help_text=_("Fields: {org} organisation code, {year}, {serial} (e.g. {serial:06d})."),
    )
    public_numbers = models.JSONField(
        _("public office numbers"),
        default=list,
        blank=True,
        help_text=_("The bureau's published telephone numbers: not personal data for the secrecy check."),
    )
    search_words = models.JSONField(
        _("search words"),
        default=list,
        blank=True,
        help_text=_("Words the search segmenter keeps whole (place and unit names), besides department names."),
    )
    site = models.OneToOneField(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="portal")
    loaded_at = models.DateTimeField(_("last loaded"), auto_now=True)

    class Meta:
        verbose_name = _("portal")
        verbose_name_plural = _("portals")
        ordering = ["profile"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def for_site(cls, site: Site | None) -> Portal | None:
        """Return the portal served by `site`, or None."""
        if site is None:
            return None
        return cls.objects.filter(site=site).first()


class DepartmentKind(models.TextChoices):
    """The kinds of department a bureau has (SPEC §1)."""

    OFFICE = "office", _("bureau office")
    POLICE_TYPE = "police_type", _("police type")
    COUNTY = "county", _("county bureau")
    LEADERSHIP = "leadership", _("bureau leadership")


class DepartmentRole(models.TextChoices):
    """The three groups every department has."""

    EDITORS = "editors", _("editors")
    HEADS = "heads", _("head")
    ADMINS = "admins", _("column administrators")


#: Group-name suffixes. Group names are data shared by every user, so they do not follow the UI language.
GROUP_SUFFIXES = {
    DepartmentRole.EDITORS: "编辑",
    DepartmentRole.HEADS: "负责人",
    DepartmentRole.ADMINS: "栏目管理员",
}


class Department(models.Model):
    """A department of a bureau: maintains columns, authors items, reviews and publishes them.

    Saving a department creates (or renames) its editors, head and column-administrator groups.
    """

    portal = models.ForeignKey(Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="departments")
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=128)
    short_name = models.CharField(
        _("short name"), max_length=64, blank=True, help_text=_("For a police type, its name, e.g. 刑侦.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DepartmentKind.choices, default=DepartmentKind.OFFICE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervising bureau leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_departments",
        help_text=_("The bureau leader in charge (分管局领导) who approves documents of this department."),
    )
    editors_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    heads_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    admins_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["portal", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["portal", "code"], name="department_code_unique_per_portal")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Save, then make sure the three groups exist, carry the current names and can use the admin."""
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.ensure_groups()

    @property
    def label(self) -> str:
        """The name shown to users: the police-type name when there is one, e.g. 刑侦 (刑警支队)."""
        if self.short_name and self.short_name != self.name:
            return f"{self.name}（{self.short_name}）"
        return self.name

    def group_name(self, role: DepartmentRole) -> str:
        """The name of this department's group for `role`, unique across portals."""
        return f"{self.portal.short_name}·{self.name}·{GROUP_SUFFIXES[role]}"

    def group(self, role: DepartmentRole) -> Group | None:
        """This department's group for `role`."""
        return getattr(self, f"{role.value}_group")

    def groups(self) -> list[Group]:
        """The department's three groups (after `save()` they all exist)."""
        return [g for g in (self.group(r) for r in DepartmentRole) if g is not None]

    def ensure_groups(self) -> None:
        """Create or rename the department's groups and give them admin access."""
        access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        changed = []
        for role in DepartmentRole:
            field = f"{role.value}_group"
            group = getattr(self, field)
            name = self.group_name(role)
            if group is None:
                group, _created = Group.objects.get_or_create(name=name)
                setattr(self, field, group)
                changed.append(field)
            elif group.name != name:
                group.name = name
                group.save(update_fields=["name"])
            group.permissions.add(access)
        if changed:
            super().save(update_fields=changed)

    def members(self, role: DepartmentRole):
        """Users in this department's group for `role`."""
        from django.contrib.auth import get_user_model

        group = self.group(role)
        if group is None:
            return get_user_model().objects.none()
        return group.user_set.filter(is_active=True)


def departments_of(user, role: DepartmentRole | None = None):
    """The departments whose groups `user` belongs to (optionally in one role)."""
    roles = [role] if role else list(DepartmentRole)
    query = models.Q()
    group_ids = user.groups.values_list("id", flat=True)
    for r in roles:
        query |= models.Q(**{f"{r.value}_group__in": group_ids})
    return Department.objects.filter(query).distinct()


class AccountKind(models.TextChoices):
    """Kinds of official new-media account (两微一端)."""

    WEIBO = "weibo", _("Weibo")
    WECHAT = "wechat", _("WeChat official account")
    APP = "app", _("mobile app")


class OfficialAccount(models.Model):
    """An official Weibo, WeChat or app account of a portal and the department that maintains it."""

    portal = models.ForeignKey(Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="accounts")
    kind = models.CharField(_("kind"), max_length=16, choices=AccountKind.choices)
    name = models.CharField(_("name"), max_length=128)
    handle = models.CharField(_("account handle"), max_length=128, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("maintaining department"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("official account")
        verbose_name_plural = _("official accounts")
        constraints = [models.UniqueConstraint(fields=["portal", "name"], name="account_name_unique_per_portal")]

    def __str__(self) -> str:
        return self.name


class CategoryKind(models.TextChoices):
    """The two classifications of the disclosure catalogue."""

    TOPIC = "topic", _("topic")
    GENRE = "genre", _("genre")


class CatalogueCategory(models.Model):
    """A topic (主题分类) or genre (体裁分类) of a portal's disclosure catalogue (profile data)."""

    portal = models.ForeignKey(Portal, verbose_name=_("portal"), on_delete=models.CASCADE, related_name="categories")
    kind = models.CharField(_("kind"), max_length=8, choices=CategoryKind.choices)
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=64)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("catalogue category")
        verbose_name_plural = _("catalogue categories")
        ordering = ["portal", "kind", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["portal", "kind", "code"], name="category_code_unique")]

    def __str__(self) -> str:
        return self.name


class NumberedCase(models.Model):
    """A citizen's case (a disclosure request, a letter, a tip) as the public side knows it: a number given at
    once (e.g. 依申2026-0042, gap-free per portal and year through a serial counter and `next_serial`), a query
    code kept only as a hash, and the idempotency key of its submission. Concrete models add the portal, their
    unique constraints and everything else."""

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    year = models.PositiveIntegerField(_("year"), editable=False)
    serial = models.PositiveIntegerField(_("serial"), editable=False)
    query_code_hash = models.CharField(max_length=64, editable=False)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def check_query_code(self, code: str) -> bool:
        """True when `code` is this case's query code (compared in constant time)."""
        from .codes import query_code_matches

        return query_code_matches(self.query_code_hash, code)

    def set_query_code(self, code: str | None = None) -> str:
        """Set (without saving) a new query code and return it; only its hash is stored."""
        from .codes import hash_query_code, new_query_code

        code = code or new_query_code()
        self.query_code_hash = hash_query_code(code)
        return code


class IndexSerial(models.Model):
    """The last index-number serial issued by a portal in a year; locked while a number is issued, so
    numbers are unique and without gaps under concurrent publication."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["portal", "year"], name="one_serial_per_portal_year")]

    def __str__(self) -> str:
        return f"{self.portal_id}/{self.year}: {self.last}"


def next_serial(counter_model: type[models.Model], **lookup: object) -> int:
    """Take the next number of the counter row `lookup` of `counter_model` (a model with a `last` field and a
    unique constraint on the lookup's fields), creating the row at need. The row stays locked until the
    caller's transaction ends, so concurrent callers get consecutive numbers and a rolled-back one spends
    none."""
    from django.db import IntegrityError

    with transaction.atomic():
        try:
            with transaction.atomic():
                counter_model.objects.get_or_create(**lookup)
        except IntegrityError:  # created concurrently
            pass
        counter = counter_model.objects.select_for_update().get(**lookup)
        counter.last += 1
        counter.save(update_fields=["last"])
    return counter.last


def issue_index_number(portal: Portal, year: int) -> str:
    """Issue the next index number (索引号) of `portal` for `year`. Call inside the publishing transaction:
    if that rolls back, so does the serial."""
    serial = next_serial(IndexSerial, portal=portal, year=year)
    return portal.index_pattern.format(org=portal.organisation_code, year=year, serial=serial)


class ContentVersion(models.Model):
    """A counter bumped whenever anything the public can read changes (publish, unpublish, move, delete,
    images, documents, departments, search index). Cached public responses are keyed by it (`cms.cache`)."""

    key = models.CharField(_("key"), max_length=32, primary_key=True)
    version = models.BigIntegerField(_("version"), default=1)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"
