"""Validate a profile file into plain dataclasses, collecting every error with its path and line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

from .yamlfile import LineDict, LineList, YamlError, load_yaml

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEPARTMENT_KINDS = ("office", "police_type", "county", "leadership")
ACCOUNT_KINDS = ("weibo", "wechat", "app")
#: Short names for the core page types; anything else is an "app_label.ModelName" label.
PAGE_TYPE_ALIASES = {
    "section": "pages.SectionPage",
    "column": "pages.ColumnPage",
    "article": "pages.ArticlePage",
    "video": "pages.VideoPage",
    "document": "pages.GovernmentDocumentPage",
}


@dataclass
class SiteSpec:
    """Where the portal is served."""

    hostname: str
    port: int = 80
    default: bool = False
    site_name: str = ""
    #: What the public site's footer shows (web.SiteSettings): filled from the profile only where still empty.
    footer: dict[str, str] = field(default_factory=dict)


#: Footer keys of `site:` (the labels Chinese government sites must show) and their longest lengths.
SITE_FOOTER_KEYS = {
    "sponsor": 128,  # 主办单位
    "site_code": 32,  # 网站标识码
    "icp_number": 64,  # ICP备案号
    "police_record_number": 64,  # 公安机关备案号
    "address": 255,
    "postcode": 6,
    "phone": 64,
    "email": 128,
}


@dataclass
class DepartmentSpec:
    """One department of the profile."""

    code: str
    name: str
    kind: str
    short_name: str = ""
    parent: str | None = None
    path: str = ""


@dataclass
class ColumnSpec:
    """One node of the column tree; `key` is the slug path from the home page."""

    title: str
    slug: str
    key: str
    model: type
    responsible: list[str] = field(default_factory=list)
    reviewer: str | None = None
    update_days: int | None = None
    accepts: list[str] = field(default_factory=list)
    description: str = ""
    children: list[ColumnSpec] = field(default_factory=list)
    path: str = ""


@dataclass
class AccountSpec:
    """An official new-media account."""

    kind: str
    name: str
    handle: str = ""
    department: str | None = None


@dataclass
class OutletSpec:
    """An outlet (两微一端 or a web mirror): which columns' items go to it. Endpoint, secret and enabled are
    deployment data set in the admin, not here."""

    kind: str
    name: str
    account: str | None = None
    columns: list[str] = field(default_factory=list)
    path: str = ""


@dataclass
class ReviewSpec:
    """Review chains: the steps of each content kind, and who does secrecy and legal review."""

    secrecy_department: str | None = None
    legal_department: str | None = None
    proofread_department: str | None = None
    chains: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class CatalogueSpec:
    """The disclosure catalogue: index-number pattern, topics and genres."""

    index_pattern: str = "{org}/{year}-{serial:06d}"
    topics: list[tuple[str, str]] = field(default_factory=list)
    genres: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ProfileSpec:
    """A validated profile."""

    profile: str
    name: str
    short_name: str
    site: SiteSpec
    organisation_code: str
    departments: list[DepartmentSpec]
    columns: list[ColumnSpec]
    accounts: list[AccountSpec]
    public_numbers: list[str] = field(default_factory=list)
    search_words: list[str] = field(default_factory=list)
    review: ReviewSpec = field(default_factory=ReviewSpec)
    catalogue: CatalogueSpec = field(default_factory=CatalogueSpec)
    outlets: list[OutletSpec] = field(default_factory=list)
    #: Sections read by installed plugins: plugin label -> what its `parse_profile_section` returned.
    plugin_sections: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def walk(self):
        """Yield every column spec with its parent spec (None at the top), depth first."""

        def _walk(nodes, parent):
            for node in nodes:
                yield node, parent
                yield from _walk(node.children, node)

        yield from _walk(self.columns, None)


class ProfileValidationError(ValueError):
    """The profile has errors; `errors` lists each as 'path (line N): message'."""

    def __init__(self, source: str, errors: list[str]):
        self.source = source
        self.errors = errors
        super().__init__(f"{source}: {len(errors)} error(s)\n" + "\n".join(f"  {e}" for e in errors))


def resolve_profile_path(name_or_path: str, subdir: str = "") -> Path:
    """Find `name_or_path`: an existing .yaml path, or NAME.yaml in SUNLIGHT_PROFILE_DIRS[/subdir]."""
    candidate = Path(name_or_path)
    if candidate.suffix in {".yaml", ".yml"}:
        if candidate.is_file():
            return candidate
        raise FileNotFoundError(f"profile file {candidate} does not exist")
    dirs = [Path(d) / subdir if subdir else Path(d) for d in settings.SUNLIGHT_PROFILE_DIRS]
    for directory in dirs:
        for suffix in (".yaml", ".yml"):
            path = directory / f"{name_or_path}{suffix}"
            if path.is_file():
                return path
    known = sorted({p.stem for d in dirs if d.is_dir() for p in d.glob("*.y*ml")})
    raise FileNotFoundError(
        f"no profile named {name_or_path!r} in {', '.join(str(d) for d in dirs)}"
        + (f" (known: {', '.join(known)})" if known else "")
    )


def read_profile(name_or_path: str) -> ProfileSpec:
    """Find, read and validate a profile; raise ProfileValidationError listing every problem."""
    path = resolve_profile_path(name_or_path)
    try:
        data = load_yaml(path)
    except YamlError as exc:
        raise ProfileValidationError(str(path), [str(exc)]) from None
    expected = None if Path(name_or_path).suffix else name_or_path
    return parse_profile(data, source=str(path), expected_name=expected)


class _Checker:
    """Collects errors while walking the raw data."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        #: Keys of the profile's columns (e.g. "jmhd/jzxx"), set before plugin sections are parsed, so a plugin's
        #: section can check the columns it names.
        self.column_keys: set[str] = set()

    def error(self, path: str, line: int | None, message: str) -> None:
        where = f"{path} (line {line})" if line else path
        self.errors.append(f"{where}: {message}")

    @staticmethod
    def line_of(container: Any, key: Any = None) -> int | None:
        if isinstance(container, LineDict):
            return container.key_lines.get(key, container.line) if key is not None else container.line
        if isinstance(container, LineList):
            if isinstance(key, int) and key < len(container.item_lines):
                return container.item_lines[key]
            return container.line
        return None

    def mapping(self, value: Any, path: str, parent: Any, key: Any, allowed: set[str], required: set[str]):
        """Check that `value` is a mapping with the required keys and no unknown ones."""
        if not isinstance(value, dict):
            self.error(path, self.line_of(parent, key), "must be a mapping (key: value pairs)")
            return None
        for k in value:
            if k not in allowed:
                hint = f"; allowed keys: {', '.join(sorted(allowed))}"
                self.error(f"{path}.{k}" if path else str(k), self.line_of(value, k), f"unknown key{hint}")
        for k in sorted(required):
            if k not in value or value[k] in (None, ""):
                self.error(f"{path}.{k}" if path else k, self.line_of(value), "is required")
        return value

    def identifier(self, raw: dict, key: str, path: str, pattern, seen: set[str], what: str, where: str = "") -> str:
        """Read `raw[key]` as an identifier matching `pattern` and unique among `seen` (which it joins)."""
        line = self.line_of(raw, key)
        value = self.text(raw.get(key), f"{path}.{key}", line, 64)
        if value and not pattern.match(value):
            allowed = (
                "lower-case letters, digits, '-' and '_'"
                if pattern is NAME_RE
                else "lower-case letters, digits and '-'"
            )
            self.error(f"{path}.{key}", line, f"use {allowed} only")
        if value in seen:
            self.error(f"{path}.{key}", line, f"duplicate {what} {value!r}{where}")
        seen.add(value)
        return value

    def text(self, value: Any, path: str, line: int | None, max_length: int = 255) -> str:
        if value is None:
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(path, line, "must be text")
            return ""
        text = str(value).strip()
        if len(text) > max_length:
            self.error(path, line, f"is longer than {max_length} characters")
        return text

    def sequence(self, value: Any, path: str, line: int | None) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, line, "must be a list")
            return []
        return value


def disabled_plugins() -> set[str]:
    """Labels of plugins this site leaves out (SUNLIGHT_DISABLED_PLUGINS): their profile sections are ignored and
    their page types dropped from columns' `accepts`, so one profile serves sites with and without them."""
    from django.conf import settings

    discovery = getattr(settings, "PLUGIN_DISCOVERY", None)
    return set(getattr(discovery, "disabled_labels", ()))


def plugin_sections() -> dict[str, Any]:
    """Top-level profile keys read by installed plugins: key -> the plugin's PluginConfig."""
    from django.apps import apps

    from cms.plugins import PluginConfig

    return {
        config.profile_section: config
        for config in apps.get_app_configs()
        if isinstance(config, PluginConfig) and config.profile_section
    }


def page_model(label: str):
    """Resolve a page-type name (alias or app_label.ModelName) to a Page model, or None."""
    from wagtail.models import Page

    label = PAGE_TYPE_ALIASES.get(label, label)
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if issubclass(model, Page) else None


def parse_profile(data: Any, source: str = "<profile>", expected_name: str | None = None) -> ProfileSpec:
    """Validate raw profile data; return a ProfileSpec or raise ProfileValidationError."""
    from pages.models import HomePage, ProfileManaged

    c = _Checker()
    top = c.mapping(
        data,
        "",
        None,
        None,
        allowed={
            "profile",
            "name",
            "short_name",
            "site",
            "organisation_code",
            "departments",
            "columns",
            "accounts",
            "review",
            "catalogue",
            "public_numbers",
            "search_words",
            "outlets",
            *plugin_sections(),
            *disabled_plugins(),
        },
        required={"profile", "name", "site", "departments", "columns"},
    )
    if top is None:
        raise ProfileValidationError(source, c.errors or ["the file is empty"])

    profile = c.text(top.get("profile"), "profile", c.line_of(top, "profile"), 64)
    if profile and not NAME_RE.match(profile):
        c.error("profile", c.line_of(top, "profile"), "use lower-case letters, digits, '-' and '_' only")
    if expected_name and profile and profile != expected_name:
        c.error("profile", c.line_of(top, "profile"), f"is {profile!r} but the file is named {expected_name!r}")
    name = c.text(top.get("name"), "name", c.line_of(top, "name"), 128)
    short_name = c.text(top.get("short_name"), "short_name", c.line_of(top, "short_name"), 64) or name
    organisation_code = c.text(
        top.get("organisation_code"), "organisation_code", c.line_of(top, "organisation_code"), 32
    )

    site = SiteSpec(hostname="localhost")
    raw_site = top.get("site")
    if raw_site is not None and c.mapping(
        raw_site, "site", top, "site", {"hostname", "port", "default", "site_name", *SITE_FOOTER_KEYS}, {"hostname"}
    ):
        site.hostname = c.text(raw_site.get("hostname"), "site.hostname", c.line_of(raw_site, "hostname"))
        port = raw_site.get("port", 80)
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            c.error("site.port", c.line_of(raw_site, "port"), "must be a whole number from 1 to 65535")
        else:
            site.port = port
        default = raw_site.get("default", False)
        if not isinstance(default, bool):
            c.error("site.default", c.line_of(raw_site, "default"), "must be true or false")
        else:
            site.default = default
        site.site_name = c.text(raw_site.get("site_name"), "site.site_name", c.line_of(raw_site, "site_name"))
        for key, longest in SITE_FOOTER_KEYS.items():
            if raw_site.get(key) is not None:
                site.footer[key] = c.text(raw_site[key], f"site.{key}", c.line_of(raw_site, key), longest)

    # Departments
    departments: list[DepartmentSpec] = []
    codes: dict[str, DepartmentSpec] = {}
    raw_departments = c.sequence(top.get("departments"), "departments", c.line_of(top, "departments"))
    if "departments" in top and not raw_departments and isinstance(top.get("departments"), list):
        c.error("departments", c.line_of(top, "departments"), "needs at least one department")
    for i, raw in enumerate(raw_departments):
        path = f"departments[{i}]"
        if not c.mapping(
            raw, path, raw_departments, i, {"code", "name", "short_name", "kind", "parent"}, {"code", "name", "kind"}
        ):
            continue
        code = c.text(raw.get("code"), f"{path}.code", c.line_of(raw, "code"), 64)
        if code and not NAME_RE.match(code):
            c.error(f"{path}.code", c.line_of(raw, "code"), "use lower-case letters, digits, '-' and '_' only")
        if code in codes:
            c.error(f"{path}.code", c.line_of(raw, "code"), f"duplicate department code {code!r}")
        kind = c.text(raw.get("kind"), f"{path}.kind", c.line_of(raw, "kind"))
        if kind and kind not in DEPARTMENT_KINDS:
            c.error(f"{path}.kind", c.line_of(raw, "kind"), f"must be one of {', '.join(DEPARTMENT_KINDS)}")
        spec = DepartmentSpec(
            code=code,
            name=c.text(raw.get("name"), f"{path}.name", c.line_of(raw, "name"), 128),
            kind=kind,
            short_name=c.text(raw.get("short_name"), f"{path}.short_name", c.line_of(raw, "short_name"), 64),
            parent=c.text(raw.get("parent"), f"{path}.parent", c.line_of(raw, "parent")) or None,
            path=path,
        )
        departments.append(spec)
        if code:
            codes.setdefault(code, spec)
    for i, spec in enumerate(departments):
        raw = raw_departments[i]
        if spec.parent and spec.parent not in codes:
            c.error(f"{spec.path}.parent", c.line_of(raw, "parent"), f"unknown department {spec.parent!r}")
    for spec in departments:  # cycles in parent links
        seen, node = set(), spec
        while node and node.parent and node.parent in codes:
            if node.code in seen:
                c.error(f"{spec.path}.parent", None, "department parents form a cycle")
                break
            seen.add(node.code)
            node = codes[node.parent]

    def department_ref(value: Any, path: str, line: int | None, allow_kind: bool) -> str | None:
        text = c.text(value, path, line)
        if not text:
            c.error(path, line, "must name a department")
            return None
        if allow_kind and text.startswith("kind:"):
            kind = text.split(":", 1)[1]
            if kind not in DEPARTMENT_KINDS:
                c.error(path, line, f"unknown department kind {kind!r}; use one of {', '.join(DEPARTMENT_KINDS)}")
                return None
            if not any(d.kind == kind for d in departments):
                c.error(path, line, f"no department has kind {kind!r}")
                return None
            return text
        if text not in codes:
            c.error(path, line, f"unknown department {text!r}")
            return None
        return text

    # Columns
    def parse_columns(raw_list: Any, path: str, line: int | None, parent_key: str, parent_model) -> list[ColumnSpec]:
        out: list[ColumnSpec] = []
        slugs: set[str] = set()
        for i, raw in enumerate(c.sequence(raw_list, path, line)):
            p = f"{path}[{i}]"
            if not c.mapping(
                raw,
                p,
                raw_list,
                i,
                {
                    "title",
                    "slug",
                    "type",
                    "responsible",
                    "reviewer",
                    "update_days",
                    "accepts",
                    "description",
                    "children",
                },
                {"title", "slug"},
            ):
                continue
            slug = c.identifier(raw, "slug", p, SLUG_RE, slugs, "slug", " among its siblings")
            type_name = c.text(raw.get("type", "column"), f"{p}.type", c.line_of(raw, "type"), 100)
            model = page_model(type_name) if type_name else None
            if type_name and model is None:
                c.error(
                    f"{p}.type",
                    c.line_of(raw, "type"),
                    f"unknown page type {type_name!r} (is the plugin that provides it installed?)",
                )
            elif model is not None:
                if not issubclass(model, ProfileManaged) or model is HomePage:
                    c.error(
                        f"{p}.type",
                        c.line_of(raw, "type"),
                        f"{type_name!r} cannot be a node of the column tree (use section or column)",
                    )
                    model = None
                elif parent_model is not None and parent_model not in model.allowed_parent_page_models():
                    c.error(
                        f"{p}.type",
                        c.line_of(raw, "type"),
                        f"a {model._meta.verbose_name} cannot be placed under a {parent_model._meta.verbose_name}",
                    )
            responsible = []
            for j, ref in enumerate(
                c.sequence(raw.get("responsible"), f"{p}.responsible", c.line_of(raw, "responsible"))
            ):
                resolved = department_ref(
                    ref, f"{p}.responsible[{j}]", c.line_of(raw["responsible"], j), allow_kind=True
                )
                if resolved:
                    responsible.append(resolved)
            reviewer = None
            if raw.get("reviewer") is not None:
                reviewer = department_ref(raw["reviewer"], f"{p}.reviewer", c.line_of(raw, "reviewer"), False)
            update_days = raw.get("update_days")
            if update_days is not None and (
                not isinstance(update_days, int) or isinstance(update_days, bool) or update_days < 1
            ):
                c.error(f"{p}.update_days", c.line_of(raw, "update_days"), "must be a whole number of days, 1 or more")
                update_days = None
            accepts = []
            for j, label in enumerate(c.sequence(raw.get("accepts"), f"{p}.accepts", c.line_of(raw, "accepts"))):
                accepted = page_model(str(label))
                if accepted is None and str(label).split(".")[0] in disabled_plugins():
                    continue  # a type of a plugin this site leaves out: the column simply does not take it
                if accepted is None:
                    c.error(
                        f"{p}.accepts[{j}]",
                        c.line_of(raw["accepts"], j),
                        f"unknown page type {label!r} (is the plugin that provides it installed?)",
                    )
                else:
                    accepts.append(accepted._meta.label)
            key = f"{parent_key}/{slug}" if parent_key else slug
            spec = ColumnSpec(
                title=c.text(raw.get("title"), f"{p}.title", c.line_of(raw, "title")),
                slug=slug,
                key=key,
                model=model,
                responsible=responsible,
                reviewer=reviewer,
                update_days=update_days,
                accepts=accepts,
                description=c.text(raw.get("description"), f"{p}.description", c.line_of(raw, "description"), 2000),
                path=p,
            )
            if raw.get("children") is not None:
                spec.children = parse_columns(raw["children"], f"{p}.children", c.line_of(raw, "children"), key, model)
            out.append(spec)
        return out

    columns = parse_columns(top.get("columns"), "columns", c.line_of(top, "columns"), "", HomePage)

    # Accounts
    accounts: list[AccountSpec] = []
    raw_accounts = c.sequence(top.get("accounts"), "accounts", c.line_of(top, "accounts"))
    names: set[str] = set()
    for i, raw in enumerate(raw_accounts):
        p = f"accounts[{i}]"
        if not c.mapping(raw, p, raw_accounts, i, {"kind", "name", "handle", "department"}, {"kind", "name"}):
            continue
        kind = c.text(raw.get("kind"), f"{p}.kind", c.line_of(raw, "kind"))
        if kind and kind not in ACCOUNT_KINDS:
            c.error(f"{p}.kind", c.line_of(raw, "kind"), f"must be one of {', '.join(ACCOUNT_KINDS)}")
        account_name = c.text(raw.get("name"), f"{p}.name", c.line_of(raw, "name"), 128)
        if account_name in names:
            c.error(f"{p}.name", c.line_of(raw, "name"), f"duplicate account {account_name!r}")
        names.add(account_name)
        department = None
        if raw.get("department") is not None:
            department = department_ref(raw["department"], f"{p}.department", c.line_of(raw, "department"), False)
        accounts.append(
            AccountSpec(
                kind=kind,
                name=account_name,
                handle=c.text(raw.get("handle"), f"{p}.handle", c.line_of(raw, "handle"), 128),
                department=department,
            )
        )

    public_numbers = []
    for i, number in enumerate(
        c.sequence(top.get("public_numbers"), "public_numbers", c.line_of(top, "public_numbers"))
    ):
        text = c.text(number, f"public_numbers[{i}]", c.line_of(top["public_numbers"], i), 32)
        if text and not re.fullmatch(r"[0-9()（）\- ]{3,32}", text):
            c.error(f"public_numbers[{i}]", c.line_of(top["public_numbers"], i), "must be a telephone number")
        elif text:
            public_numbers.append(text)
    search_words = []
    for i, word in enumerate(c.sequence(top.get("search_words"), "search_words", c.line_of(top, "search_words"))):
        text = c.text(word, f"search_words[{i}]", c.line_of(top["search_words"], i), 32)
        if text and not re.fullmatch(r"[^\s]{2,32}", text):
            c.error(f"search_words[{i}]", c.line_of(top["search_words"], i), "must be one word without spaces")
        elif text:
            search_words.append(text)
    review = _parse_review(c, top, department_ref)
    catalogue = _parse_catalogue(c, top)
    column_keys = {node.key for node, _parent in _walk_specs(columns)}
    c.column_keys = column_keys
    outlets = _parse_outlets(c, top, column_keys, {a.name: a for a in accounts})
    sections = {}
    for key, config in plugin_sections().items():
        if key in top:
            sections[config.label] = config.parse_profile_section(c, top[key], key, department_ref)

    if c.errors:
        raise ProfileValidationError(source, c.errors)
    return ProfileSpec(
        review=review,
        catalogue=catalogue,
        outlets=outlets,
        plugin_sections=sections,
        public_numbers=public_numbers,
        search_words=search_words,
        profile=profile,
        name=name,
        short_name=short_name,
        site=site,
        organisation_code=organisation_code,
        departments=departments,
        columns=columns,
        accounts=accounts,
        source=source,
    )


def _parse_review(c: _Checker, top: dict, department_ref) -> ReviewSpec:
    from cms.review.models import TASK_TYPES, ContentKind

    spec = ReviewSpec()
    raw = top.get("review")
    if raw is None:
        return spec
    allowed = {"secrecy_department", "legal_department", "proofread_department", "chains"}
    if not c.mapping(raw, "review", top, "review", allowed, {"chains"}):
        return spec
    for key in ("secrecy_department", "legal_department", "proofread_department"):
        if raw.get(key) is not None:
            setattr(spec, key, department_ref(raw[key], f"review.{key}", c.line_of(raw, key), False))
    chains = raw.get("chains")
    if not isinstance(chains, dict):
        c.error("review.chains", c.line_of(raw, "chains"), "must map content kinds to lists of steps")
        return spec
    kinds = [k.value for k in ContentKind]
    for kind, steps in chains.items():
        path, line = f"review.chains.{kind}", c.line_of(chains, kind)
        if kind not in kinds:
            c.error(path, line, f"unknown content kind; use one of {', '.join(kinds)}")
            continue
        steps = c.sequence(steps, path, line)
        if not steps:
            c.error(path, line, "needs at least one step")
            continue
        names = []
        for i, step in enumerate(steps):
            step_line = c.line_of(chains[kind], i)
            if step not in TASK_TYPES:
                c.error(f"{path}[{i}]", step_line, f"unknown step {step!r}; use one of {', '.join(TASK_TYPES)}")
                continue
            if (
                step in ("secrecy", "secrecy_check")
                and not spec.secrecy_department
                and not raw.get("secrecy_department")
            ):
                c.error(f"{path}[{i}]", step_line, "a secrecy step needs review.secrecy_department")
            if step == "legal" and not raw.get("legal_department"):
                c.error(f"{path}[{i}]", step_line, "a legal step needs review.legal_department")
            if step == "proofread" and not raw.get("proofread_department"):
                c.error(f"{path}[{i}]", step_line, "a proofread step needs review.proofread_department")
            if step in names:
                c.error(f"{path}[{i}]", step_line, f"step {step!r} appears twice")
            names.append(step)
        if names and names[-1] != "column_admin":
            c.error(path, line, "the last step must be column_admin (the column administrator publishes)")
        spec.chains[kind] = names
    return spec


def _parse_catalogue(c: _Checker, top: dict) -> CatalogueSpec:
    spec = CatalogueSpec()
    raw = top.get("catalogue")
    if raw is None:
        return spec
    if not c.mapping(raw, "catalogue", top, "catalogue", {"index_pattern", "topics", "genres"}, set()):
        return spec
    if raw.get("index_pattern") is not None:
        pattern = c.text(raw["index_pattern"], "catalogue.index_pattern", c.line_of(raw, "index_pattern"), 64)
        try:
            sample = pattern.format(org="ORG", year=2026, serial=1)
        except (KeyError, IndexError, ValueError) as exc:
            c.error("catalogue.index_pattern", c.line_of(raw, "index_pattern"), f"is not a valid pattern: {exc}")
        else:
            if "{serial" not in pattern or sample == pattern.format(org="ORG", year=2026, serial=2):
                c.error("catalogue.index_pattern", c.line_of(raw, "index_pattern"), "must contain {serial}")
            spec.index_pattern = pattern
    for key in ("topics", "genres"):
        seen: set[str] = set()
        items = c.sequence(raw.get(key), f"catalogue.{key}", c.line_of(raw, key))
        for i, item in enumerate(items):
            path = f"catalogue.{key}[{i}]"
            if not c.mapping(item, path, items, i, {"code", "name"}, {"code", "name"}):
                continue
            code = c.identifier(item, "code", path, SLUG_RE, seen, "code")
            getattr(spec, key).append((code, c.text(item.get("name"), f"{path}.name", c.line_of(item, "name"), 64)))
    return spec


def _walk_specs(nodes: list[ColumnSpec], parent: ColumnSpec | None = None):
    for node in nodes:
        yield node, parent
        yield from _walk_specs(node.children, node)


def _parse_outlets(c: _Checker, top: dict, column_keys: set[str], accounts: dict[str, AccountSpec]) -> list[OutletSpec]:
    """The `outlets` list: registered kinds, known accounts of a matching kind, known column keys, unique names."""
    from cms.outlets.registry import kind_codes

    codes = kind_codes()
    outlets: list[OutletSpec] = []
    names: set[str] = set()
    raw_outlets = c.sequence(top.get("outlets"), "outlets", c.line_of(top, "outlets"))
    for i, raw in enumerate(raw_outlets):
        p = f"outlets[{i}]"
        if not c.mapping(raw, p, raw_outlets, i, {"kind", "name", "account", "columns"}, {"kind", "name", "columns"}):
            continue
        kind = c.text(raw.get("kind"), f"{p}.kind", c.line_of(raw, "kind"), 32)
        if kind and kind not in codes:
            c.error(f"{p}.kind", c.line_of(raw, "kind"), f"unknown outlet kind {kind!r}; use one of {', '.join(codes)}")
        name = c.text(raw.get("name"), f"{p}.name", c.line_of(raw, "name"), 128)
        if name and name in names:
            c.error(f"{p}.name", c.line_of(raw, "name"), f"duplicate outlet {name!r}")
        names.add(name)
        account = None
        if raw.get("account") is not None:
            account = c.text(raw["account"], f"{p}.account", c.line_of(raw, "account"), 128) or None
            spec = accounts.get(account) if account else None
            if account and spec is None:
                known = f"; accounts: {', '.join(accounts)}" if accounts else "; the profile lists no accounts"
                c.error(f"{p}.account", c.line_of(raw, "account"), f"unknown account {account!r}{known}")
                account = None
            elif spec is not None and kind in ACCOUNT_KINDS and spec.kind != kind:
                c.error(f"{p}.account", c.line_of(raw, "account"), f"{account!r} is a {spec.kind} account, not {kind}")
        keys: list[str] = []
        raw_columns = c.sequence(raw.get("columns"), f"{p}.columns", c.line_of(raw, "columns"))
        if isinstance(raw.get("columns"), list) and not raw_columns:
            c.error(f"{p}.columns", c.line_of(raw, "columns"), "needs at least one column")
        for j, ref in enumerate(raw_columns):
            line = c.line_of(raw["columns"], j)
            key = c.text(ref, f"{p}.columns[{j}]", line).strip("/")
            if not key:
                continue
            if key not in column_keys:
                c.error(f"{p}.columns[{j}]", line, f"unknown column {key!r} (use a slug path such as xxgk/jwyw)")
            elif key in keys:
                c.error(f"{p}.columns[{j}]", line, f"column {key!r} is listed twice")
            else:
                keys.append(key)
        outlets.append(OutletSpec(kind=kind, name=name, account=account, columns=keys, path=p))
    return outlets
