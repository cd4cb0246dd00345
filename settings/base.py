"""Settings shared by every environment. Deployment-specific values come from the environment:

DATABASE_URL   database (default: SQLite file var/sunlight.sqlite3)
REDIS_URL      Redis for cache and rate limits (default: local-memory cache)
ES_URL         Elasticsearch for search (default: the embedded engine)
SUNLIGHT_SEARCH_ENGINE  embedded or elasticsearch (default: elasticsearch when ES_URL is set)
SUNLIGHT_ES_INDEX       Elasticsearch alias / index prefix (default: sunlight)
SUNLIGHT_ES_ANALYZER    jieba (default), ik or smartcn (needs the cluster plugin)
SUNLIGHT_SEARCH_RATE    public search requests per client address (default: 120/min)
SUNLIGHT_DISCLOSURE_SUBMIT_RATE   disclosure requests submitted per client address (default: 10/hour)
SUNLIGHT_DISCLOSURE_STATUS_RATE   disclosure status lookups per client address (default: 60/min)
SUNLIGHT_DISCLOSURE_FAILURE_RATE  failed status lookups (wrong number or code) per address and per number
                                  before lookups pause (default: 10/hour)
SUNLIGHT_MAILBOX_SUBMIT_RATE / _STATUS_RATE / _FAILURE_RATE  the same for letters (10/hour, 60/min, 10/hour)
SUNLIGHT_WANTED_TIP_RATE  tips on wanted notices per client address (default: 10/hour)
SUNLIGHT_PRIVATE_ROOT   where citizens' attachments are kept, never served by URL (default: var/private)
SUNLIGHT_FRONTEND_CACHE_URL  a CDN / reverse proxy accepting HTTP PURGE, purged on publish (default: none)
SUNLIGHT_API_CACHE      0 to keep no public API responses in the server cache (default: 1)
SECRET_KEY     required in production
ALLOWED_HOSTS  comma-separated host names
SUNLIGHT_DISABLED_PLUGINS  comma-separated plugin labels to leave out
SUNLIGHT_EXTRA_PLUGINS     comma-separated app modules to load as plugins (besides entry points)
SUNLIGHT_PLUGINS_STRICT    1 to stop start-up when a plugin is refused (default: leave it out, warn)
SUNLIGHT_TASKS_BACKEND     immediate (default: tasks run in-process) or database (django_tasks_db + db_worker)
SUNLIGHT_PREVIEW_TTL       seconds a draft preview token (/api/preview/) stays valid (default: 3600)
"""

from __future__ import annotations

import json
from pathlib import Path

import dj_database_url

from cms import __version__
from cms.plugins.discovery import discover_plugins

from .env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SUNLIGHT_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", ".localhost"])

# Per-plugin settings, by label (a plugin's default_settings fill the gaps); JSON in the environment.
SUNLIGHT_PLUGINS_CONFIG = json.loads(env_str("SUNLIGHT_PLUGINS_CONFIG", "{}"))

# The built-in plugins; third-party ones come from the `sunlight.plugins` entry-point group.
BUILTIN_PLUGINS = [
    "plugins.online_services",
    "plugins.wanted",
    "plugins.disclosure_requests",
    "plugins.mailbox",
]
PLUGIN_DISCOVERY = discover_plugins(
    builtin=BUILTIN_PLUGINS,
    extra=env_list("SUNLIGHT_EXTRA_PLUGINS"),
    disabled=env_list("SUNLIGHT_DISABLED_PLUGINS"),
    strict=env_bool("SUNLIGHT_PLUGINS_STRICT", False),
    config=SUNLIGHT_PLUGINS_CONFIG,
)

INSTALLED_APPS = [
    "cms",
    "cms.deadlines",
    "cms.secrecy",
    "cms.review",
    "cms.outlets",
    "pages",
    "api",
    "search",
    "web",
    *PLUGIN_DISCOVERY.accepted_apps,
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "api.caching.PublicCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cms.review.middleware.PublicationBlockedMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sunlight.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once; WAL lets readers proceed during writes; IMMEDIATE
    # transactions take the write lock at BEGIN, so concurrent publishers queue instead of deadlocking.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
# A request is one transaction: a refused publication (cms.review) leaves nothing half-done.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sunlight",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

ES_URL = env_str("ES_URL", "")
# embedded (SQLite FTS5 / PostgreSQL) or elasticsearch; default: elasticsearch when ES_URL is set.
SUNLIGHT_SEARCH_ENGINE = env_str("SUNLIGHT_SEARCH_ENGINE", "")
# Prefix of the Elasticsearch index (and its alias) names.
SUNLIGHT_ES_INDEX = env_str("SUNLIGHT_ES_INDEX", "sunlight")
# jieba (pre-segmented tokens, the default) or ik / smartcn when the cluster has that analysis plugin.
SUNLIGHT_ES_ANALYZER = env_str("SUNLIGHT_ES_ANALYZER", "jieba")

# A CDN or reverse proxy in front of the portal that accepts HTTP PURGE (Varnish, Squid, nginx): published
# and unpublished pages and their API URLs are purged from it.
SUNLIGHT_FRONTEND_CACHE_URL = env_str("SUNLIGHT_FRONTEND_CACHE_URL", "")
if SUNLIGHT_FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": SUNLIGHT_FRONTEND_CACHE_URL,
        }
    }

# Keep public API responses in the cache, keyed by the content version (0 switches it off).
SUNLIGHT_API_CACHE = env_bool("SUNLIGHT_API_CACHE", True)

# Background tasks: "immediate" runs them in the process that enqueues them (the demo); "database" stores
# them for `manage.py db_worker`. Outlet deliveries also need `manage.py deliver_outbox` (docs/outlets.md).
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
SUNLIGHT_TASKS_BACKEND = env_str("SUNLIGHT_TASKS_BACKEND", "immediate")
if SUNLIGHT_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ValueError(f"SUNLIGHT_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[SUNLIGHT_TASKS_BACKEND]}}

# Outlet deliveries (cms.outlets): retry backoff in seconds (base doubling up to the cap, ±10 % jitter), the
# attempts before giving up, and how long a worker holds a row it is sending (longer than both timeouts).
SUNLIGHT_OUTLET_BACKOFF_BASE = float(env_str("SUNLIGHT_OUTLET_BACKOFF_BASE", "30"))
SUNLIGHT_OUTLET_BACKOFF_CAP = float(env_str("SUNLIGHT_OUTLET_BACKOFF_CAP", "3600"))
SUNLIGHT_OUTLET_MAX_ATTEMPTS = int(env_str("SUNLIGHT_OUTLET_MAX_ATTEMPTS", "10"))
SUNLIGHT_OUTLET_LEASE = float(env_str("SUNLIGHT_OUTLET_LEASE", "60"))
SUNLIGHT_OUTLET_TIMEOUT = (5.0, 15.0)  # connect, read (seconds)
SUNLIGHT_OUTLET_INLINE_TIMEOUT = (1.0, 5.0)  # the first attempt inside a publishing request (ImmediateBackend)
SUNLIGHT_OUTLET_INLINE_BUDGET = 8.0  # seconds a publishing request spends on its first attempts at most

# Draft previews for headless front ends (api/preview.py): how long a signed preview token is valid, in seconds.
SUNLIGHT_PREVIEW_TTL = int(env_str("SUNLIGHT_PREVIEW_TTL", "3600"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Chinese for everyone by default (no LocaleMiddleware: a browser's Accept-Language does not switch the
# portal or the admin); a staff member may choose English in their Wagtail account settings.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing directory
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Files citizens send (letter attachments, tips): outside MEDIA_ROOT, never served by URL (cms/storage.py).
SUNLIGHT_PRIVATE_ROOT = Path(env_str("SUNLIGHT_PRIVATE_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "阳光警务"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# Wagtail's database backends index a Chinese run as one token ('通缉' would not find '网上通缉逃犯信息');
# ours segments with jieba at index and query time (docs/search.md). After switching: manage.py update_index.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "doc", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "xls", "zip", "wps"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILAPI_BASE_URL = env_str("WAGTAILAPI_BASE_URL", "http://127.0.0.1:8000")
WAGTAILAPI_LIMIT_MAX = 100

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 20,
    # Public search is read-only but costs queries: a generous limit per client address.
    "DEFAULT_THROTTLE_RATES": {
        "search": env_str("SUNLIGHT_SEARCH_RATE", "120/min"),
        # Disclosure requests (plugins/disclosure_requests/throttles.py): submissions, lookups, failed lookups.
        "disclosure_submit": env_str("SUNLIGHT_DISCLOSURE_SUBMIT_RATE", "10/hour"),
        "disclosure_status": env_str("SUNLIGHT_DISCLOSURE_STATUS_RATE", "60/min"),
        "disclosure_status_failures": env_str("SUNLIGHT_DISCLOSURE_FAILURE_RATE", "10/hour"),
        # Letters (plugins/mailbox/throttles.py): submissions, status lookups, failed lookups.
        "mailbox_submit": env_str("SUNLIGHT_MAILBOX_SUBMIT_RATE", "10/hour"),
        "mailbox_status": env_str("SUNLIGHT_MAILBOX_STATUS_RATE", "60/min"),
        "mailbox_status_failures": env_str("SUNLIGHT_MAILBOX_FAILURE_RATE", "10/hour"),
        # Tips on wanted notices (plugins/wanted/throttles.py).
        "wanted_tip": env_str("SUNLIGHT_WANTED_TIP_RATE", "10/hour"),
    },
    # OpenAPI 3 (drf-spectacular): /api/schema/, browsable at /api/docs/ (docs/api.md).
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
}

# The OpenAPI document of /api/ (api/schema.py documents Wagtail's v2 endpoints and tags every area).
SPECTACULAR_SETTINGS = {
    "TITLE": "阳光警务 Sunlight API",
    "DESCRIPTION": (
        "阳光警务门户的公开接口：页面、图片、文档、信息公开目录、站内搜索与插件。\n\n"
        "The public API of a Sunlight police portal: pages, images and documents (Wagtail API v2), the "
        "disclosure catalogue, site search, deadline clocks (staff) and each plugin's routes."
    ),
    "VERSION": __version__,
    "SERVE_INCLUDE_SCHEMA": False,
    # Read and write shapes of a serializer get their own components (read-only fields are not inputs).
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc come from drf-spectacular-sidecar's static files: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "displayOperationId": False},
    "SCHEMA_PATH_PREFIX": r"/api/",
    "DEFAULT_GENERATOR_CLASS": "api.schema.SchemaGenerator",
    "PREPROCESSING_HOOKS": ["api.schema.only_api_paths"],
    "ENUM_NAME_OVERRIDES": {
        "ClockStateEnum": "api.clocks.CLOCK_STATES",
        "DeliveryStateEnum": "cms.outlets.models.DeliveryState",
        "DisclosureRequestStateEnum": "plugins.disclosure_requests.choices.State",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
    "TAGS": [
        {"name": "index", "description": "API index: endpoints and plugins. 接口索引"},
        {"name": "pages", "description": "Live public pages (Wagtail API v2). 页面"},
        {"name": "images", "description": "Images (Wagtail API v2). 图片"},
        {"name": "documents", "description": "Documents (Wagtail API v2). 文档"},
        {"name": "catalogue", "description": "The disclosure catalogue. 信息公开目录"},
        {"name": "clocks", "description": "Deadline clocks, staff only. 办理时限"},
        {"name": "search", "description": "Site and catalogue search, suggestions. 站内搜索"},
        {"name": "outlets", "description": "Outlets: apps, Weibo, WeChat. 发布渠道"},
        {"name": "preview", "description": "Previews of drafts for headless front ends. 预览"},
        {"name": "plugins", "description": "Routes of the installed plugins, under /api/<plugin>/. 插件"},
    ],
}

# Where `load_profile NAME` looks for NAME.yaml, and `load_demo NAME` for demo/NAME.yaml.
SUNLIGHT_PROFILE_DIRS = [BASE_DIR / "profiles"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "sunlight": {"handlers": ["console"], "level": env_str("SUNLIGHT_LOG_LEVEL", "INFO")},
    },
}
