"""Apply a validated profile to the database, idempotently and in one transaction.

Re-running applies changes to departments, column titles and responsibilities and to permissions; it never
duplicates a department, group or column and never deletes a page. Columns removed from the profile are
kept and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from cms.models import Department, DepartmentRole, OfficialAccount, Portal

from .schema import ColumnSpec, ProfileSpec

#: Sent inside the loading transaction once everything of the profile is applied: `portal`, `spec` (the
#: ProfileSpec) and `report` (add to `report.created`/`report.updated`). The public site fills its settings.
profile_applied = Signal()


class ProfileApplyError(ValueError):
    """The profile is valid but conflicts with the database (e.g. a site already in use)."""


@dataclass
class LoadReport:
    """What loading a profile did."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)
    permissions_added: int = 0
    permissions_removed: int = 0

    def lines(self) -> list[str]:
        """A human-readable summary."""
        out = [f"created: {len(self.created)}, updated: {len(self.updated)}, unchanged: {self.unchanged}"]
        out += [f"  + {item}" for item in self.created]
        out += [f"  ~ {item}" for item in self.updated]
        out.append(f"page permissions: +{self.permissions_added} -{self.permissions_removed}")
        out += [f"  kept (no longer in the profile, not deleted): {item}" for item in self.kept]
        return out


# Page permissions per role, on columns a department is responsible for / reviews.
RESPONSIBLE_PERMS = {
    DepartmentRole.EDITORS: {"add_page", "change_page"},
    DepartmentRole.HEADS: {"add_page", "change_page"},
    DepartmentRole.ADMINS: {"add_page", "change_page", "publish_page"},
}
REVIEWER_PERMS = {
    DepartmentRole.EDITORS: {"add_page", "change_page"},
    DepartmentRole.HEADS: {"add_page", "change_page"},
    DepartmentRole.ADMINS: {"add_page", "change_page", "publish_page"},
}
COLLECTION_PERMS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def managed_page_models() -> list[type[Page]]:
    """Every concrete page model that carries a profile key (ours and plugins')."""
    from pages.models import ProfileManaged

    return [m for m in apps.get_models() if issubclass(m, Page) and issubclass(m, ProfileManaged)]


@transaction.atomic
def apply_profile(spec: ProfileSpec) -> LoadReport:
    """Load `spec` into the database; everything or nothing."""
    report = LoadReport()
    portal, home = _portal(spec, report)
    departments = _departments(spec, portal, report)
    pages = _columns(spec, home, departments, report)
    _permissions(spec, portal, home, departments, pages, report)
    _collection(portal, departments, report)
    _accounts(spec, portal, departments, report)
    _outlets(spec, portal, pages, report)
    _catalogue(spec, portal, report)
    _review_chains(spec, portal, departments, report)
    _plugin_sections(spec, portal, departments, report)
    profile_applied.send(sender=Portal, portal=portal, spec=spec, report=report)
    return report


def _plugin_sections(spec: ProfileSpec, portal: Portal, departments, report: LoadReport) -> None:
    """Let each plugin load its own section of the profile (after departments and review chains exist)."""
    from cms.profiles.schema import plugin_sections

    for config in plugin_sections().values():
        if config.label in spec.plugin_sections:
            config.load_profile_section(portal, spec.plugin_sections[config.label], departments, report)


def _portal(spec: ProfileSpec, report: LoadReport) -> tuple[Portal, Page]:
    from pages.models import HomePage

    portal = Portal.objects.filter(profile=spec.profile).select_related("site").first()
    clash = Site.objects.filter(hostname=spec.site.hostname, port=spec.site.port)
    if portal:
        clash = clash.exclude(pk=portal.site_id)
    clash = clash.first()
    if clash is not None and (Portal.objects.filter(site=clash).exists() or not _is_placeholder(clash.root_page)):
        raise ProfileApplyError(
            f"site.hostname: {spec.site.hostname}:{spec.site.port} is already served by site "
            f"{clash.site_name or clash.hostname!r}; choose another hostname or port"
        )
    if spec.site.default:
        other_default = Site.objects.filter(is_default_site=True)
        if portal:
            other_default = other_default.exclude(pk=portal.site_id)
        other_default = other_default.exclude(pk=getattr(clash, "pk", None)).first()
        if other_default is not None:
            if Portal.objects.filter(site=other_default).exists() or not _is_placeholder(other_default.root_page):
                raise ProfileApplyError(
                    f"site.default: site {other_default.site_name or other_default.hostname!r} is already the "
                    "default site; set default: false"
                )
            clash = clash or other_default

    if portal is None:
        root = Page.get_first_root_node()
        home = HomePage(title=spec.name, slug=spec.profile, profile_key="")
        root.add_child(instance=home)
        log(instance=home, action="wagtail.create")
        if clash is not None:  # take over Wagtail's placeholder site and drop its welcome page
            placeholder = clash.root_page
            site = clash
            site.root_page = home
            site.hostname, site.port = spec.site.hostname, spec.site.port
            site.is_default_site = spec.site.default
            site.site_name = spec.site.site_name or spec.name
            site.save()
            placeholder.delete()
        else:
            site = Site.objects.create(
                hostname=spec.site.hostname,
                port=spec.site.port,
                root_page=home,
                is_default_site=spec.site.default,
                site_name=spec.site.site_name or spec.name,
            )
        portal = Portal.objects.create(
            profile=spec.profile,
            name=spec.name,
            short_name=spec.short_name,
            organisation_code=spec.organisation_code,
            index_pattern=spec.catalogue.index_pattern,
            public_numbers=spec.public_numbers,
            search_words=spec.search_words,
            site=site,
        )
        report.created.append(f"portal {spec.profile} at {site.hostname}:{site.port}")
        return portal, home

    site = portal.site
    if clash is not None and clash.pk != site.pk:  # Wagtail's placeholder site is in the way (checked above)
        placeholder = clash.root_page
        clash.delete()
        if placeholder.pk != site.root_page_id:
            placeholder.delete()
    changes = _assign(
        portal,
        name=spec.name,
        short_name=spec.short_name,
        organisation_code=spec.organisation_code,
        index_pattern=spec.catalogue.index_pattern,
        public_numbers=spec.public_numbers,
        search_words=spec.search_words,
    )
    if changes:
        portal.save()
        for department in portal.departments.all():  # group names carry the short name
            department.ensure_groups()
    site_changes = _assign(
        site,
        hostname=spec.site.hostname,
        port=spec.site.port,
        is_default_site=spec.site.default,
        site_name=spec.site.site_name or spec.name,
    )
    if site_changes:
        site.save()
    home = site.root_page.specific
    if home.title != spec.name:
        home.title = spec.name
        home.save(update_fields=["title", "draft_title"] if hasattr(home, "draft_title") else None)
        changes.append("title")
    if changes or site_changes:
        report.updated.append(f"portal {spec.profile}: {', '.join(changes + site_changes)}")
    else:
        report.unchanged += 1
    return portal, home


def _is_placeholder(page: Page) -> bool:
    """True for Wagtail's fresh-install welcome page: a plain Page without children."""
    return page is not None and page.specific_class is Page and not page.get_children().exists()


def _assign(obj, **values) -> list[str]:
    """Set attributes that differ; return the names of the changed ones."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _departments(spec: ProfileSpec, portal: Portal, report: LoadReport) -> dict[str, Department]:
    existing = {d.code: d for d in portal.departments.all()}
    result: dict[str, Department] = {}
    for order, d in enumerate(spec.departments):
        department = existing.get(d.code)
        if department is None:
            department = Department(portal=portal, code=d.code)
            _assign(department, name=d.name, short_name=d.short_name, kind=d.kind, sort_order=order)
            department.save()
            report.created.append(f"department {d.code} {d.name}")
        else:
            changed = _assign(department, name=d.name, short_name=d.short_name, kind=d.kind, sort_order=order)
            department.save()  # also re-checks the groups
            if changed:
                report.updated.append(f"department {d.code}: {', '.join(changed)}")
            else:
                report.unchanged += 1
        result[d.code] = department
    for d in spec.departments:
        department = result[d.code]
        parent = result.get(d.parent) if d.parent else None
        if department.parent_id != (parent.pk if parent else None):
            department.parent = parent
            department.save(update_fields=["parent"])
    for code in sorted(set(existing) - set(result)):
        report.kept.append(f"department {code} {existing[code].name}")
    return result


def _expand(refs: list[str], departments: dict[str, Department]) -> list[Department]:
    out: list[Department] = []
    for ref in refs:
        if ref.startswith("kind:"):
            kind = ref.split(":", 1)[1]
            out.extend(d for d in departments.values() if d.kind == kind and d not in out)
        elif departments[ref] not in out:
            out.append(departments[ref])
    return out


def _columns(spec: ProfileSpec, home: Page, departments: dict[str, Department], report: LoadReport) -> dict[str, Page]:
    existing: dict[str, Page] = {}
    for model in managed_page_models():
        for page in model.objects.descendant_of(home).exclude(profile_key=""):
            existing[page.profile_key] = page
    pages: dict[str, Page] = {}
    for node, parent_node in spec.walk():
        parent = pages[parent_node.key] if parent_node else home
        pages[node.key] = _column(node, parent, existing.get(node.key), departments, report)
    for key in sorted(set(existing) - set(pages)):
        report.kept.append(f"column {key} {existing[key].title}")
    return pages


def _column(node: ColumnSpec, parent: Page, page: Page | None, departments, report: LoadReport) -> Page:
    model = node.model
    values = {"title": node.title}
    if hasattr(model, "description"):
        values["description"] = node.description
    is_column = hasattr(model, "responsible_departments")
    if is_column:
        reviewer = departments[node.reviewer] if node.reviewer else None
        values.update(update_days=node.update_days, accepted_types=node.accepts, reviewing_department=reviewer)
    responsible = _expand(node.responsible, departments) if is_column else []

    if page is None:
        now = timezone.now()
        page = model(slug=node.slug, profile_key=node.key, first_published_at=now, last_published_at=now, **values)
        if parent.get_children().filter(slug=node.slug).exists():
            raise ProfileApplyError(
                f"{node.path}.slug: a page with slug {node.slug!r} already exists under "
                f"{parent.title!r} and was not created by this profile"
            )
        parent.add_child(instance=page)
        if is_column:
            page.responsible_departments.set(responsible)
            page.save()
        log(instance=page, action="wagtail.create")
        report.created.append(f"column {node.key} {node.title}")
        return page

    if type(page) is not model:
        raise ProfileApplyError(
            f"{node.path}.type: column {node.key} exists as a {page._meta.verbose_name}; "
            f"changing it to a {model._meta.verbose_name} is not done automatically"
        )
    changed = _assign(page, **values)
    if page.draft_title != page.title and "title" in changed:
        page.draft_title = page.title
    if is_column:
        current = set(page.responsible_departments.values_list("pk", flat=True))
        if current != {d.pk for d in responsible}:
            page.responsible_departments.set(responsible)
            changed.append("responsible_departments")
    if changed:
        page.save()
        _patch_draft(page, changed)
        log(instance=page, action="wagtail.edit", data={"profile_fields": changed})
        report.updated.append(f"column {node.key}: {', '.join(changed)}")
    else:
        report.unchanged += 1
    return page


def _patch_draft(page: Page, fields: list[str]) -> None:
    """Carry profile-set values into a pending draft, so publishing that draft does not undo them."""
    if not page.has_unpublished_changes or page.latest_revision is None:
        return
    data = page.serializable_data()
    revision = page.latest_revision
    for name in fields:
        if name in data:
            revision.content[name] = data[name]
    revision.save(update_fields=["content"])


def _permissions(spec, portal, home, departments, pages, report: LoadReport) -> None:
    wanted: dict[int, set[tuple[int, str]]] = {}
    for department in portal.departments.all():
        for group in department.groups():
            wanted[group.pk] = set()
    for node, _parent in spec.walk():
        page = pages[node.key]
        grants = [(d, RESPONSIBLE_PERMS) for d in _expand(node.responsible, departments)]
        if node.reviewer:
            grants.append((departments[node.reviewer], REVIEWER_PERMS))
        for department, table in grants:
            for role, codenames in table.items():
                if (
                    role is DepartmentRole.ADMINS
                    and table is RESPONSIBLE_PERMS
                    and node.reviewer
                    and (departments[node.reviewer] != department)
                ):
                    codenames = codenames - {"publish_page"}  # the reviewing department publishes
                group = department.group(role)
                wanted[group.pk] |= {(page.pk, c) for c in codenames}
    page_ct = ContentType.objects.get_for_model(Page)
    perms = {p.codename: p for p in Permission.objects.filter(content_type=page_ct)}
    tree = Page.objects.descendant_of(home, inclusive=True).values_list("pk", flat=True)
    current = GroupPagePermission.objects.filter(group_id__in=wanted, page_id__in=tree).select_related("permission")
    have: dict[int, set[tuple[int, str]]] = {gid: set() for gid in wanted}
    stale = []
    for gpp in current:
        key = (gpp.page_id, gpp.permission.codename)
        if key in wanted[gpp.group_id]:
            have[gpp.group_id].add(key)
        else:
            stale.append(gpp.pk)
    if stale:
        GroupPagePermission.objects.filter(pk__in=stale).delete()
        report.permissions_removed += len(stale)
    new = [
        GroupPagePermission(group_id=gid, page_id=page_id, permission=perms[codename])
        for gid, keys in wanted.items()
        for page_id, codename in sorted(keys - have[gid])
    ]
    GroupPagePermission.objects.bulk_create(new)
    report.permissions_added += len(new)


def _collection(portal: Portal, departments, report: LoadReport) -> None:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=portal.name).first()
    if collection is None:
        collection = root.add_child(name=portal.name)
        report.created.append(f"collection {portal.name}")
    perms = [Permission.objects.get(content_type__app_label=a, codename=c) for a, c in COLLECTION_PERMS]
    for department in departments.values():
        for group in department.groups():
            for perm in perms:
                GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=perm)


def _accounts(spec: ProfileSpec, portal: Portal, departments, report: LoadReport) -> None:
    for a in spec.accounts:
        department = departments[a.department] if a.department else None
        account, created = OfficialAccount.objects.get_or_create(
            portal=portal, name=a.name, defaults={"kind": a.kind, "handle": a.handle, "department": department}
        )
        if created:
            report.created.append(f"account {a.name}")
            continue
        changed = _assign(account, kind=a.kind, handle=a.handle, department=department)
        if changed:
            account.save()
            report.updated.append(f"account {a.name}: {', '.join(changed)}")
        else:
            report.unchanged += 1


def _outlets(spec: ProfileSpec, portal: Portal, pages: dict[str, Page], report: LoadReport) -> None:
    """Create or update the portal's outlets and their columns. Endpoint, secret and enabled are set in the
    admin (deployment data) and never touched here; outlets no longer in the profile are kept."""
    from cms.outlets.models import Outlet

    existing = {o.name: o for o in Outlet.objects.filter(portal=portal).prefetch_related("columns")}
    accounts = {a.name: a for a in OfficialAccount.objects.filter(portal=portal)}
    for o in spec.outlets:
        account = accounts.get(o.account) if o.account else None
        wanted = [pages[key] for key in o.columns]
        outlet = existing.get(o.name)
        if outlet is None:
            outlet = Outlet.objects.create(portal=portal, name=o.name, kind=o.kind, account=account)
            outlet.columns.set(wanted)
            report.created.append(f"outlet {o.name} ({o.kind})")
            continue
        changed = _assign(outlet, kind=o.kind, account_id=account.pk if account else None)
        if changed:
            outlet.save(update_fields=changed)
        if {page.pk for page in outlet.columns.all()} != {page.pk for page in wanted}:
            outlet.columns.set(wanted)
            changed.append("columns")
        if changed:
            report.updated.append(f"outlet {o.name}: {', '.join(changed)}")
        else:
            report.unchanged += 1
    for name in sorted(set(existing) - {o.name for o in spec.outlets}):
        report.kept.append(f"outlet {name} (no longer in the profile; disable it in the admin)")


def _catalogue(spec: ProfileSpec, portal: Portal, report: LoadReport) -> None:
    from cms.models import CatalogueCategory

    for kind, items in (("topic", spec.catalogue.topics), ("genre", spec.catalogue.genres)):
        existing = {c.code: c for c in CatalogueCategory.objects.filter(portal=portal, kind=kind)}
        for order, (code, name) in enumerate(items):
            category = existing.get(code)
            if category is None:
                CatalogueCategory.objects.create(portal=portal, kind=kind, code=code, name=name, sort_order=order)
                report.created.append(f"{kind} {code} {name}")
            elif _assign(category, name=name, sort_order=order):
                category.save()
                report.updated.append(f"{kind} {code}")
            else:
                report.unchanged += 1
        for code in sorted(set(existing) - {code for code, _name in items}):
            report.kept.append(f"{kind} {code} {existing[code].name}")


def _review_chains(spec: ProfileSpec, portal: Portal, departments, report: LoadReport) -> None:
    """Create or update the portal's review steps and one workflow per content kind."""
    from wagtail.models import Workflow, WorkflowTask

    from cms.review.models import CHAIN_NAMES, TASK_TYPES, PortalTask, ReviewChain

    tasks = {}
    for key in sorted({step for steps in spec.review.chains.values() for step in steps}):
        model, label, attrs = TASK_TYPES[key]
        values = {"name": f"{portal.short_name}·{label}", **attrs}
        if key in ("secrecy", "secrecy_check"):
            values["department"] = departments[spec.review.secrecy_department]
        elif key == "legal":
            values["department"] = departments[spec.review.legal_department]
        elif key == "proofread":
            values["department"] = departments[spec.review.proofread_department]
        link = PortalTask.objects.filter(portal=portal, key=key).select_related("task").first()
        task = link.task.specific if link else None
        if task is None or type(task) is not model:
            task = model.objects.create(**values)
            PortalTask.objects.update_or_create(portal=portal, key=key, defaults={"task": task})
            report.created.append(f"review step {values['name']}")
        elif _assign(task, active=True, **values):
            task.save()
            report.updated.append(f"review step {values['name']}")
        tasks[key] = task

    for kind, steps in spec.review.chains.items():
        name = f"{portal.short_name}·{CHAIN_NAMES[kind]}"
        chain = ReviewChain.objects.filter(portal=portal, kind=kind).select_related("workflow").first()
        if chain is None:
            workflow = Workflow.objects.create(name=name, active=True)
            chain = ReviewChain.objects.create(portal=portal, kind=kind, workflow=workflow)
            report.created.append(f"review chain {name}")
            changed = True
        else:
            workflow = chain.workflow
            changed = bool(_assign(workflow, name=name, active=True))
            if changed:
                workflow.save()
        current = list(
            WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order").values_list("task_id", flat=True)
        )
        wanted = [tasks[step].pk for step in steps]
        if current != wanted:
            WorkflowTask.objects.filter(workflow=workflow).delete()
            for order, task_id in enumerate(wanted):
                WorkflowTask.objects.create(workflow=workflow, task_id=task_id, sort_order=order)
            changed = True
        if changed and f"review chain {name}" not in report.created:
            report.updated.append(f"review chain {name}")
        elif not changed:
            report.unchanged += 1
    for chain in ReviewChain.objects.filter(portal=portal).exclude(kind__in=list(spec.review.chains)):
        report.kept.append(f"review chain {chain.workflow.name} (no longer in the profile; deactivate it in the admin)")
