"""Newsroom settings: one module, every deploy-specific value from the environment.

The defaults run on SQLite, an in-process cache and local files, so a newcomer needs
nothing else. Production differs only by environment variables (see docs/configuration.md).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "ops.adminsite.NewsroomAdminConfig",  # django.contrib.admin, with the admin's CSP
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # SearchVectorField and GinIndex for search on PostgreSQL
    "django_prose_editor",
    "taggit",
    "django_tasks_db",
    "axes",
    "articles",
    "desk",
    "proofing",
    "photos",
    "videos",
    "search",
    "website",
    "importer",
    "audience",
    "delivery",
    "ops",
    "audit",
]

MIDDLEWARE = [
    # Tags every log line and response with the request id (from the proxy, or a new one):
    # a stored page answers with this request's id.
    "ops.middleware.RequestIdMiddleware",
    # /healthz and /readyz answer here, before host checks, sessions, the database router
    # and the page cache: a probe is never stored.
    "ops.health.HealthCheckMiddleware",
    # Request rate and latency by view, page-cache answers; /metrics for Prometheus, behind
    # a bearer token (ops/metrics.py). Off without NEWSROOM_METRICS_TOKEN.
    "ops.metrics.MetricsMiddleware",
    # HTTPS redirect and HSTS before any page, a stored one included.
    "django.middleware.security.SecurityMiddleware",
    # A NUL character in the address or a form is a 400 here, before any view or query.
    "ops.middleware.RefuseNulMiddleware",
    # Stored public pages for anonymous readers, keyed by scheme, host, path, language and
    # the query parameters the page reads, purged exactly on change. Before the rest, so a
    # stored page skips them and keeps every header they add (delivery/pagecache.py).
    "delivery.pagecache.PageCacheMiddleware",
    # Content-Security-Policy: SECURE_CSP, or the admin's policy (ops/adminsite.py).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags for pages (stored ones included) and 304 answers to conditional requests.
    "django.middleware.http.ConditionalGetMiddleware",
    # Chooses primary or replica for the request's reads; before anything reads the database.
    "ops.middleware.ReadReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese to every reader of the public site, English only by the switch; the admin
    # follows the browser (delivery/language.py).
    "delivery.language.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Account changes made in a request are logged with who made them and from where.
    "audit.middleware.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A sign-in from an address that keeps failing waits a little first (audit/throttle.py).
    "audit.throttle.SignInThrottleMiddleware",
    # Answers a locked-out sign-in with the lockout page; last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",  # the admin's script nonces
                "website.context_processors.station",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
# DATABASE_URL switches to PostgreSQL, e.g. postgres://user@127.0.0.1:5432/newsroom.
# On PostgreSQL each process keeps a psycopg connection pool (Django's "pool" option),
# checking a connection before lending it out; DATABASE_POOL=off falls back to one
# connection per request, or kept DATABASE_CONN_MAX_AGE seconds.
DATABASE_POOL = env_bool("DATABASE_POOL", True)


def database(url: str) -> dict:
    """Return Django's settings for one database URL, pooled on PostgreSQL."""
    config = dj_database_url.parse(
        url,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    if config["ENGINE"].endswith("postgresql") and DATABASE_POOL:
        config["CONN_MAX_AGE"] = 0  # the pool keeps the connections, not Django
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "4")),
            # While the database is down a request waits this long, then gets the 503 page.
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "3")),
            # A failing reconnection gives up this soon; the next request starts a fresh
            # one at once, so the pool is back within a second of the database.
            "reconnect_timeout": float(os.environ.get("DATABASE_POOL_RECONNECT_TIMEOUT", "2")),
        }
    if config["ENGINE"].endswith("postgresql"):
        # A host that drops packets costs this many seconds, not the system's minutes.
        config.setdefault("OPTIONS", {})["connect_timeout"] = int(
            os.environ.get("DATABASE_CONNECT_TIMEOUT", "2")
        )
    return config


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: browser tests serve pages from other threads, whose
    # connections to an in-memory database can never be closed cleanly.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
    # SQLite drops the covering columns of our list indexes; PostgreSQL uses them.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Read replicas (PostgreSQL hot standbys), comma-separated. Public pages read from one that
# has replayed every write the site has made; everything else uses the primary. The
# replica fence that decides this (ops/fence.py) keeps its marks in the Redis of CACHE_URL.
# A replica's pool waits less than the primary's: a reader whose replica fails is read
# again from the primary (ops/fence.py), so a long wait there only delays the answer.
DATABASE_REPLICA_POOL_TIMEOUT = float(os.environ.get("DATABASE_REPLICA_POOL_TIMEOUT", "1"))
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{number}"] = {**database(url), "TEST": {"MIRROR": "default"}}
    if pool := DATABASES[f"replica{number}"].get("OPTIONS", {}).get("pool"):
        pool["timeout"] = DATABASE_REPLICA_POOL_TIMEOUT
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
if DATABASE_REPLICAS and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The primary's backend, plus marking every write for the replica fence.
    DATABASES["default"]["ENGINE"] = "ops.db.backends.postgresql"
DATABASE_ROUTERS = ["ops.routers.PrimaryReplicaRouter"]
# Every read goes to the primary for this many seconds after any write, on every app server.
DATABASE_REPLICA_PIN_SECONDS = float(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "5"))
# Statements slower than this are logged (logger "newsroom.db.slow"); 0 turns it off.
DATABASE_SLOW_QUERY_MS = float(os.environ.get("DATABASE_SLOW_QUERY_MS", "500"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL switches to Redis, e.g. redis://127.0.0.1:6379/0
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "newsroom")
# How long the cache and the replica fence wait for Redis before doing without it.
CACHE_SOCKET_TIMEOUT = float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.5"))
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    # Fails open (ops/cache.py): with Redis down, pages are built from the database.
    CACHES = {
        "default": {
            "BACKEND": "ops.cache.FailOpenRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# /admin/status/ (ops/health.py), the detailed health of every part, answers staff and
# requests carrying "Authorization: Bearer <this token>" (empty: staff only).
NEWSROOM_STATUS_TOKEN = os.environ.get("NEWSROOM_STATUS_TOKEN", "")
# "db" keeps sessions in the database; "cache" keeps them in Redis only; "cached_db" both.
SESSION_ENGINE = "django.contrib.sessions.backends." + os.environ.get("DJANGO_SESSION_STORE", "db")

# Background tasks: run at once, in the request, unless a worker is configured.
# Production sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs manage.py worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# A task still running after this many seconds is shown as stuck in the admin.
TASKS_STUCK_AFTER_SECONDS = int(os.environ.get("TASKS_STUCK_AFTER_SECONDS", "900"))
# Every task holds a lease this long from its start (a task may ask for longer, as a video
# transcode does): running past it, the worker is taken as dead (killed, out of memory, its
# machine gone) and the task is queued again, up to TASKS_MAX_ATTEMPTS runs in all unless
# the task sets its own. Workers check the leases every TASKS_LEASE_CHECK_SECONDS.
TASKS_LEASE_SECONDS = int(os.environ.get("TASKS_LEASE_SECONDS", "600"))
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "3"))
TASKS_LEASE_CHECK_SECONDS = float(os.environ.get("TASKS_LEASE_CHECK_SECONDS", "30"))

# Scheduled backups (manage.py backup --into DIR, run by newsroom-backup.timer): how many
# days of them are kept, and a shell command that copies each new one off the machine
# (its folder is "$1"), e.g. rsync -a "$1" backup-host:newsroom/
NEWSROOM_BACKUP_KEEP_DAYS = int(os.environ.get("NEWSROOM_BACKUP_KEEP_DAYS", "14"))
NEWSROOM_BACKUP_COPY_COMMAND = os.environ.get("NEWSROOM_BACKUP_COPY_COMMAND", "")

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------------
# Static files are gathered by collectstatic into STATIC_ROOT, with hashed names and
# compressed copies, and served by WhiteNoise (or nginx) with a far-future expiry.
STATIC_URL = os.environ.get("DJANGO_STATIC_URL", "static/")
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Originals of uploaded photos: kept private, never served from MEDIA_URL.
ORIGINALS_ROOT = Path(os.environ.get("DJANGO_ORIGINALS_ROOT", BASE_DIR / "originals"))


def s3_storage(prefix: str, **options) -> dict:
    """Return an S3-compatible storage configured by <prefix>_S3_* environment variables."""
    settings = {
        "bucket_name": os.environ[f"{prefix}_S3_BUCKET"],
        "endpoint_url": os.environ.get(f"{prefix}_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get(f"{prefix}_S3_REGION") or None,
        "custom_domain": os.environ.get(f"{prefix}_S3_CUSTOM_DOMAIN") or None,
        "location": os.environ.get(f"{prefix}_S3_PREFIX", ""),
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "file_overwrite": False,
        "signature_version": "s3v4",
        **options,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": settings}


# Public media are named by their content's hash (photos/photos.py): a name never gets other
# content, so browsers and the CDN may keep each object for a year without asking again.
PUBLIC_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}

STORAGES = {
    "default": (
        s3_storage("MEDIA", querystring_auth=False, object_parameters=PUBLIC_OBJECT_PARAMETERS)
        if os.environ.get("MEDIA_S3_BUCKET")
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "originals": (
        s3_storage("ORIGINALS", custom_domain=None, querystring_auth=True)
        if os.environ.get("ORIGINALS_S3_BUCKET")
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": ORIGINALS_ROOT, "base_url": None},
        }
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Accounts ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every sign-in first and refuses it while the account or the address
# is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After this many failed sign-ins for one account from one address, that account is
# refused from that address for the cool-off time; a success clears the count. Locking
# the pair, not the account: a stranger's failures never lock an editor out elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NEWSROOM_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "audit.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "audit.addresses.client_address"
# Before any lock, an address slows down (audit/refusals.py): once its refused sign-ins
# in the last NEWSROOM_SIGNIN_SLOW_WINDOW_SECONDS reach NEWSROOM_SIGNIN_FREE_TRIES, each
# next try must wait 1 s, then 2, 4, ... up to NEWSROOM_SIGNIN_MAX_WAIT_SECONDS; a try
# made sooner is refused at once (429, 请稍后再试) and counted.
NEWSROOM_SIGNIN_FREE_TRIES = int(os.environ.get("NEWSROOM_SIGNIN_FREE_TRIES", "3"))
NEWSROOM_SIGNIN_SLOW_WINDOW_SECONDS = int(
    os.environ.get("NEWSROOM_SIGNIN_SLOW_WINDOW_SECONDS", "900")
)
NEWSROOM_SIGNIN_MAX_WAIT_SECONDS = int(os.environ.get("NEWSROOM_SIGNIN_MAX_WAIT_SECONDS", "300"))
# Refused sign-ins are counted, one row per account and address per this many seconds
# (not one audit entry per try), and kept NEWSROOM_SIGNIN_REFUSALS_DAYS days
# (manage.py prune_refused_signins).
NEWSROOM_SIGNIN_AUDIT_SECONDS = int(os.environ.get("NEWSROOM_SIGNIN_AUDIT_SECONDS", "600"))
NEWSROOM_SIGNIN_REFUSALS_DAYS = int(os.environ.get("NEWSROOM_SIGNIN_REFUSALS_DAYS", "30"))
# Proxies in front of the app (nginx: 1) whose X-Forwarded-For entries are trusted when
# telling which address a sign-in came from.
NEWSROOM_PROXY_COUNT = int(
    os.environ.get("DJANGO_PROXY_COUNT", "1" if env_bool("DJANGO_BEHIND_HTTPS_PROXY") else "0")
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Cookies travel over HTTPS only, unless debugging (DJANGO_SECURE_COOKIES=off to serve
# plain HTTP without debug pages, as the scale-out tests do).
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind nginx terminating HTTPS: trust its X-Forwarded-Proto, send plain-HTTP requests
# to HTTPS, and tell browsers to stay on HTTPS for DJANGO_HSTS_SECONDS (0: no HSTS).
if env_bool("DJANGO_BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")

# --- Content security -------------------------------------------------------------------
# Public pages are stored and replayed to every reader (the page cache, the edge caches),
# so their policy carries no nonce: no inline script or style at all, every script and
# style sheet comes from our own files. Photos may come from a CDN (any HTTPS origin).
# JSON-LD blocks are data, not scripts: the policy does not apply to them.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "https:"],
    # Video copies may come from the same CDN as photos.
    "media-src": [CSP.SELF, "https:"],
    # Embedded players: exactly the hosts of videos.embeds.PLAYERS, nothing else.
    "frame-src": ["https://player.bilibili.com", "https://v.qq.com", "https://w.yangshipin.cn"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
# The admin is never stored: scripts Django's admin writes carry a per-request nonce.
# Inline styles (never scripts) are allowed: the rich-text editor adds <style> elements
# without a nonce, and the desk's change form, revision comparison and 审稿单 carry
# <style> blocks. Photos come from the same places as on public pages (no data: or blob:):
# the upload and focal-point widgets show the stored copies, not local previews.
# The 预览 page frames the story from the admin itself (same origin), players and all.
# Given to every admin view by ops.adminsite.NewsroomAdminSite (Django's csp_override).
NEWSROOM_ADMIN_CSP = SECURE_CSP | {
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "frame-src": [CSP.SELF, *SECURE_CSP["frame-src"]],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browsers that know frame-ancestors follow it; older ones get X-Frame-Options: DENY
# (nothing on the site frames its own pages, and check --deploy asks for DENY).
X_FRAME_OPTIONS = "DENY"

# --- E-mail -----------------------------------------------------------------------------
# Sent through the SMTP server EMAIL_HOST; without it, mail is printed to the log instead.
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                # A hung SMTP server holds the worker's mail task this long, never a request.
                "timeout": float(os.environ.get("EMAIL_TIMEOUT", "10")),
            },
        }
        if os.environ.get("EMAIL_HOST")
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who receives error reports: addresses, comma-separated. A failing request only counts
# its error in memory (ops/errorreports.py); a thread writes the counts to the database
# after NEWSROOM_ERROR_REPORT_SECONDS, and the task worker mails them (ops/errormail.py):
# one mail for all new errors, each kind (exception type + place) at most once per
# NEWSROOM_ERROR_MAIL_SECONDS, with its count. Django's own mail_admins logging is off.
ADMINS = env_list("DJANGO_ADMINS")
NEWSROOM_ERROR_REPORT_SECONDS = float(os.environ.get("NEWSROOM_ERROR_REPORT_SECONDS", "2"))
NEWSROOM_ERROR_MAIL_SECONDS = int(os.environ.get("NEWSROOM_ERROR_MAIL_SECONDS", "600"))
# Errors go to Sentry as well when a DSN is given and sentry-sdk is installed (the
# "sentry" extra); its sending happens in a thread of its own.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT", "production")

# --- Logging ----------------------------------------------------------------------------
# DJANGO_LOG_FORMAT=json writes one JSON object per line, each with the request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ops.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("DJANGO_LOG_FORMAT", "text"),
        },
        # Errors are counted for the worker to mail; never sent from the failing request.
        "error_reports": {"class": "ops.errorreports.ErrorReportHandler"},
    },
    "root": {
        "handlers": ["console", "error_reports"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    },
    "loggers": {
        # Django's default sends mail_admins inside the failing request: replaced by the
        # root's handlers above (its records still reach them).
        "django": {"handlers": [], "level": "INFO"},
        # Every task start and finish is logged at INFO; failures are what operators need.
        "django.tasks": {"level": os.environ.get("DJANGO_TASKS_LOG_LEVEL", "WARNING")},
    },
}

# --- Metrics ----------------------------------------------------------------------------
# The bearer token Prometheus presents at /metrics; empty turns metrics off (no /metrics).
# Under gunicorn, workers count in files of PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py).
NEWSROOM_METRICS_TOKEN = os.environ.get("NEWSROOM_METRICS_TOKEN", "")

# --- Newsroom ---------------------------------------------------------------------------
# The station this site serves and the network it belongs to; shown in page headers,
# footers, bylines and the originality statement.
NEWSROOM_STATION_NAME = os.environ.get("NEWSROOM_STATION_NAME", "红岭网湘西站")
NEWSROOM_STATION_SHORT_NAME = os.environ.get("NEWSROOM_STATION_SHORT_NAME", "湘西站")
NEWSROOM_NETWORK_NAME = os.environ.get("NEWSROOM_NETWORK_NAME", "红岭网")
NEWSROOM_NETWORK_URL = os.environ.get("NEWSROOM_NETWORK_URL", "https://www.hongling.example/")
# The home page's description for search engines and share cards.
NEWSROOM_STATION_DESCRIPTION = os.environ.get(
    "NEWSROOM_STATION_DESCRIPTION",
    "红岭网湘西站：湘西土家族苗族自治州的时政、民生、县市区、文旅与经济新闻，图片与视频报道。",
)
# Absolute origin used for permanent links (本文链接); empty means "the requested host".
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "").rstrip("/")
# Regulatory footer: ICP filing (链接到工信部备案系统), public-security filing and the
# internet news licence. Empty values are left out of the footer.
NEWSROOM_ICP_NUMBER = os.environ.get("NEWSROOM_ICP_NUMBER", "湘ICP备00000000号-1")
NEWSROOM_PSB_FILING = os.environ.get("NEWSROOM_PSB_FILING", "湘公网安备43310102000000号")
NEWSROOM_NEWS_LICENCE = os.environ.get("NEWSROOM_NEWS_LICENCE", "43120170000")
# 违法和不良信息举报: the station's own phone and mail, shown beside the national 12377
# centre in the footer (empty values are left out).
NEWSROOM_REPORT_PHONE = os.environ.get("NEWSROOM_REPORT_PHONE", "0743-8000000")
NEWSROOM_REPORT_EMAIL = os.environ.get("NEWSROOM_REPORT_EMAIL", "jubao@xiangxi.example.cn")
# Whole public pages kept in the cache for anonymous readers (seconds; 0 turns it off),
# and how long browsers may keep them without asking again (0: they ask each time, and a
# 304 answers them while the page is unchanged; a withdrawn story never lingers).
# Reads (阅读量, 点击排行): counted in this Redis (by default the cache's), folded into the
# database by `manage.py fold_reads`. Without Redis nothing is counted; pages are unaffected.
NEWSROOM_AUDIENCE_REDIS_URL = os.environ.get(
    "NEWSROOM_AUDIENCE_REDIS_URL",
    CACHE_URL if CACHE_URL.startswith(("redis://", "rediss://", "unix://")) else "",
)
NEWSROOM_AUDIENCE_PREFIX = os.environ.get("NEWSROOM_AUDIENCE_PREFIX", f"{CACHE_KEY_PREFIX}:reads")
# The same reader (address + browser + story) reloading within this many seconds counts once.
NEWSROOM_AUDIENCE_REPEAT_SECONDS = int(os.environ.get("NEWSROOM_AUDIENCE_REPEAT_SECONDS", "60"))
# How many stories a 点击排行 lists.
NEWSROOM_RANKING_SIZE = int(os.environ.get("NEWSROOM_RANKING_SIZE", "10"))
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "600"))
NEWSROOM_PUBLIC_MAX_AGE = int(os.environ.get("NEWSROOM_PUBLIC_MAX_AGE", "0"))
# Memory each app process may give to its own copies of the stored pages it serves most
# (MB; 0 turns them off). A copy is checked against Redis again within 0.2 s
# (delivery/pagecache.py), so a change elsewhere reaches it within that.
NEWSROOM_PAGE_COPIES_MB = int(os.environ.get("NEWSROOM_PAGE_COPIES_MB", "2"))
# Most pages stored per path for query strings (search terms, page numbers), and per host
# for missing pages, within one page lifetime: what one client can add to the cache.
NEWSROOM_PAGE_VARIANTS = int(os.environ.get("NEWSROOM_PAGE_VARIANTS", "200"))
NEWSROOM_PAGE_SIZE = int(os.environ.get("NEWSROOM_PAGE_SIZE", "20"))
NEWSROOM_RELATED_LIMIT = int(os.environ.get("NEWSROOM_RELATED_LIMIT", "6"))
# Search's word dictionary as a sorted file every process maps read-only; written from the
# jieba package on first use where missing (search/dictionary.py), so the directory must
# be writable by the app then, or the file made at deploy time.
NEWSROOM_SEARCH_DICTIONARY = Path(
    os.environ.get("NEWSROOM_SEARCH_DICTIONARY", BASE_DIR / "var" / "search-dictionary.txt")
)
# Editorial workflow: how many reviews an article needs unless its channel says otherwise
# (1 = 终审 only, 2 = 初审 + 终审, 3 = 初审 + 复审 + 终审).
NEWSROOM_REVIEW_LEVELS = int(os.environ.get("NEWSROOM_REVIEW_LEVELS", "3"))
# Whether a superuser may act at two levels of one article's review chain.
NEWSROOM_SUPERUSERS_MAY_REVIEW_TWICE = env_bool("NEWSROOM_SUPERUSERS_MAY_REVIEW_TWICE")
# Whether a 总编辑 may put a small correction to a live article online without the chain.
NEWSROOM_DIRECT_CORRECTIONS = env_bool("NEWSROOM_DIRECT_CORRECTIONS")
# Whether a story needs a 作者 credit or a custom byline before it may be submitted.
NEWSROOM_REQUIRE_BYLINE = env_bool("NEWSROOM_REQUIRE_BYLINE")
# Hours an article may wait at one step before it is flagged overdue: one number for every
# step, or per step, e.g. "24,初审=12,待发布=4" (steps: 初审, 复审, 终审, 待发布).
NEWSROOM_REVIEW_OVERDUE_HOURS = os.environ.get("NEWSROOM_REVIEW_OVERDUE_HOURS", "24")
# The article form autosaves unsaved input this often (and when a field loses focus), into
# a record of its own per article and person; a larger autosave is refused.
NEWSROOM_AUTOSAVE_SECONDS = int(os.environ.get("NEWSROOM_AUTOSAVE_SECONDS", "30"))
NEWSROOM_AUTOSAVE_MAX_BYTES = int(os.environ.get("NEWSROOM_AUTOSAVE_MAX_BYTES", "1000000"))
# How long a preview link shared with a reviewer works (hours); it stops earlier when the
# story is edited, published or withdrawn, or when the link is revoked (desk/preview.py).
NEWSROOM_PREVIEW_HOURS = int(os.environ.get("NEWSROOM_PREVIEW_HOURS", "24"))
# Edge caches (nginx) to purge pages from, e.g. http://10.0.0.5,http://10.0.0.6, and the
# host name they cache the site under.
NEWSROOM_EDGE_CACHE_URLS = env_list("NEWSROOM_EDGE_CACHE_URLS")
NEWSROOM_EDGE_HOST = os.environ.get(
    "NEWSROOM_EDGE_HOST", NEWSROOM_SITE_URL.partition("://")[2] or "localhost"
)

# --- Photos -----------------------------------------------------------------------------
# Uploads are refused above these limits (40 MB, 100 megapixels by default).
NEWSROOM_PHOTO_MAX_MB = int(os.environ.get("NEWSROOM_PHOTO_MAX_MB", "40"))
NEWSROOM_PHOTO_MAX_MEGAPIXELS = int(os.environ.get("NEWSROOM_PHOTO_MAX_MEGAPIXELS", "100"))
# A JPEG is drawn at a fraction of its size; PNG, WebP, GIF and HEIC only from all their
# pixels (about 3 bytes each, several copies while drawing): their own, lower limit.
NEWSROOM_PHOTO_MAX_FULL_DECODE_MEGAPIXELS = int(
    os.environ.get("NEWSROOM_PHOTO_MAX_FULL_DECODE_MEGAPIXELS", "40")
)
# Uploads above this size are written to a temporary file as they arrive, never held whole
# in memory (Django's default, stated here because photo uploads rely on it).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Public copies are drawn at these widths, each in WebP and JPEG.
NEWSROOM_PHOTO_WIDTHS = [int(w) for w in env_list("NEWSROOM_PHOTO_WIDTHS", "480,960,1600")]
# The station's mark on public copies: a PNG logo if a path is given, else the text drawn
# with a CJK font (empty font: the first Noto CJK or WenQuanYi font installed).
NEWSROOM_WATERMARK_LOGO = os.environ.get("NEWSROOM_WATERMARK_LOGO", "")
NEWSROOM_WATERMARK_TEXT = os.environ.get("NEWSROOM_WATERMARK_TEXT", NEWSROOM_STATION_NAME)
NEWSROOM_WATERMARK_FONT = os.environ.get("NEWSROOM_WATERMARK_FONT", "")
# top-left, top-right, bottom-left or bottom-right; margin as a share of the photo's width.
NEWSROOM_WATERMARK_POSITION = os.environ.get("NEWSROOM_WATERMARK_POSITION", "bottom-right")
NEWSROOM_WATERMARK_MARGIN = float(os.environ.get("NEWSROOM_WATERMARK_MARGIN", "0.025"))
NEWSROOM_WATERMARK_OPACITY = float(os.environ.get("NEWSROOM_WATERMARK_OPACITY", "0.7"))
# Narrower copies (thumbnails) carry no mark.
NEWSROOM_WATERMARK_MIN_WIDTH = int(os.environ.get("NEWSROOM_WATERMARK_MIN_WIDTH", "800"))
# Remote images pasted into bodies are fetched into the library (photos/remote.py): each
# answer is read for at most this many seconds and megabytes. Addresses that resolve to
# a private, loopback or link-local network are refused, except for the hosts listed in
# NEWSROOM_FETCH_ALLOW_HOSTS (leave it empty in production).
NEWSROOM_FETCH_TIMEOUT_SECONDS = int(os.environ.get("NEWSROOM_FETCH_TIMEOUT_SECONDS", "20"))
NEWSROOM_FETCH_MAX_MB = int(os.environ.get("NEWSROOM_FETCH_MAX_MB", "20"))
NEWSROOM_FETCH_ALLOW_HOSTS = env_list("NEWSROOM_FETCH_ALLOW_HOSTS")

# --- Video -----------------------------------------------------------------------------
# Uploads above these are refused (videos/ffmpeg.py): size in MB, length in seconds.
NEWSROOM_VIDEO_MAX_MB = int(os.environ.get("NEWSROOM_VIDEO_MAX_MB", "500"))
NEWSROOM_VIDEO_MAX_SECONDS = int(os.environ.get("NEWSROOM_VIDEO_MAX_SECONDS", "900"))
# Longest one FFmpeg run may take (seconds) before the transcode is given up as failed.
NEWSROOM_VIDEO_FFMPEG_TIMEOUT = int(os.environ.get("NEWSROOM_VIDEO_FFMPEG_TIMEOUT", "1800"))

# --- Moving an old site in (manage.py import_pages) ---------------------------------------
# Fetching a list of old URLs: seconds between two requests to the same host, the name the
# importer gives itself (robots.txt rules for it apply), and where fetched pages are kept
# so that a re-run fetches nothing twice.
NEWSROOM_IMPORT_DELAY = float(os.environ.get("NEWSROOM_IMPORT_DELAY", "1.0"))
NEWSROOM_IMPORT_USER_AGENT = os.environ.get("NEWSROOM_IMPORT_USER_AGENT", "NewsroomImporter/1.0")
NEWSROOM_IMPORT_CACHE_DIR = os.environ.get(
    "NEWSROOM_IMPORT_CACHE_DIR", str(BASE_DIR / "var" / "import-cache")
)

# The body editor's photo and video pickers and the figure that remembers which library
# photo or video it shows (no image by URL); its menus in the admin's language, pasting
# and the live 字数.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("articles/admin/photo-editor.js")],
        "extensions": {
            "Figure": "django_prose_editor.config.process_figure",
            "Image": "django_prose_editor.config.process_image",
            "PhotoPicker": "django_prose_editor.config.html_tags",
        },
    },
    {
        "js": [static_lazy("articles/admin/video-editor.js")],
        "extensions": {"VideoPicker": "django_prose_editor.config.html_tags"},
    },
    {
        "js": [static_lazy("articles/admin/desk-editor.js")],
        "extensions": {
            "DeskLabels": "django_prose_editor.config.html_tags",
            "DeskPaste": "django_prose_editor.config.html_tags",
            "WordCount": "django_prose_editor.config.html_tags",
        },
    },
]
