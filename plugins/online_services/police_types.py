"""The police types of a portal's 网上办事 and their four services (seed 000 §一: 便民电话, 办事指南, 表格下载,
业务咨询), read from the column tree the profile built — nothing here names a bureau.

The plugin declares where guides go, so a profile need not name its page type (and stays valid when a site
disables the plugin): a column takes service guides when its accepted types name
`online_services.ServiceGuidePage`, or when it has the guides slug of the plugin setting `service_columns`
(`bszn`) and a police type among its responsible departments. A police-type column is the parent of such a
column; its police type is its first responsible department of kind `police_type`; its service columns are
its children with the slugs of `service_columns`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from wagtail.models import Page

from cms.models import Department, DepartmentKind
from pages.models import ColumnPage

GUIDE_LABEL = "online_services.ServiceGuidePage"
SERVICES = ("hotlines", "guides", "forms", "consultation")


def service_slugs() -> dict[str, str]:
    """Slug of each service column by service (plugin setting `service_columns`)."""
    configured = apps.get_app_config("online_services").settings.get("service_columns") or {}
    defaults = {"hotlines": "bmdh", "guides": "bszn", "forms": "bgxz", "consultation": "ywzx"}
    return {service: str(configured.get(service) or defaults[service]) for service in SERVICES}


def names_guides(column: ColumnPage) -> bool:
    """True when the column's accepted types (from the profile) name the service guide."""
    return GUIDE_LABEL.lower() in {label.lower() for label in column.accepted_types or []}


def takes_guides(column: ColumnPage, police_type_columns: set[int] | None = None) -> bool:
    """True when editors may add service guides to `column` (see the module docstring). `police_type_columns`:
    ids of columns known to have a police-type department (else one query asks)."""
    if names_guides(column):
        return True
    if column.slug != service_slugs()["guides"]:
        return False
    if police_type_columns is not None:
        return column.pk in police_type_columns
    return column.responsible_departments.filter(kind=DepartmentKind.POLICE_TYPE).exists()


@dataclass
class PoliceTypeServices:
    """One police type's page (its column) with its department and service columns."""

    column: ColumnPage
    department: Department | None
    services: dict[str, ColumnPage | None] = field(default_factory=dict)


def police_types(root: Page) -> list[PoliceTypeServices]:
    """The police types below `root` (a site's home page), in tree order. Two queries."""
    columns = list(
        ColumnPage.objects.descendant_of(root)
        .live()
        .public()
        .only("id", "title", "slug", "path", "depth", "url_path", "accepted_types")
        .order_by("path")
    )
    by_path = {c.path: c for c in columns}
    through = ColumnPage._meta.get_field("responsible_departments").remote_field.through
    links = through.objects.filter(
        columnpage_id__in=[c.pk for c in columns], department__kind=DepartmentKind.POLICE_TYPE
    ).select_related("department")
    lead: dict[int, Department] = {}
    for link in sorted(links, key=lambda x: (x.department.sort_order, x.department.code)):
        lead.setdefault(link.columnpage_id, link.department)
    with_police_type = set(lead)
    parents = []
    for column in columns:
        parent = by_path.get(column.path[: -Page.steplen])
        if takes_guides(column, with_police_type) and parent is not None and parent not in parents:
            parents.append(parent)
    slugs = service_slugs()
    result = []
    for parent in parents:
        children = {c.slug: c for c in columns if c.path[: -Page.steplen] == parent.path}
        services = {service: children.get(slug) for service, slug in slugs.items()}
        if services["guides"] is None or not takes_guides(services["guides"], with_police_type):
            services["guides"] = next((c for c in children.values() if takes_guides(c, with_police_type)), None)
        result.append(PoliceTypeServices(column=parent, department=lead.get(parent.pk), services=services))
    return result


def police_type_of(page: Page) -> Department | None:
    """The police type of an item: the first police-type department responsible for a column above it."""
    if not page.path:
        return None
    ancestors = [page.path[:end] for end in range(Page.steplen, len(page.path), Page.steplen)]
    through = ColumnPage._meta.get_field("responsible_departments").remote_field.through
    links = (
        through.objects.filter(columnpage__path__in=ancestors, department__kind=DepartmentKind.POLICE_TYPE)
        .select_related("department", "columnpage")
        .order_by("-columnpage__depth", "department__sort_order", "department__code")
    )
    link = links.first()
    return link.department if link else None


def consultation_columns(root_path: str) -> dict[str, ColumnPage]:
    """The live 业务咨询 columns below the home page at `root_path`, by the path of their police type."""
    slug = service_slugs()["consultation"]
    columns = (
        ColumnPage.objects.live()
        .filter(path__startswith=root_path, slug=slug)
        .only("id", "title", "slug", "path", "depth", "url_path")
    )
    return {c.path[: -Page.steplen]: c for c in columns}
