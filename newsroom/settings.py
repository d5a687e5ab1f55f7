"""Newsroom settings: one module, every deploy-specific value from the environment.

The defaults run on SQLite, an in-process cache and local files, so a newcomer needs
nothing else. Production differs only by environment variables (see README).
"""

import os
from pathlib import Path

import dj_database_url

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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # SearchVectorField and GinIndex for search on PostgreSQL
    "django_prose_editor",
    "taggit",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "articles.context_processors.station",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
# DATABASE_URL switches to PostgreSQL, e.g. postgres://user@127.0.0.1:5432/newsroom
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: browser tests serve pages from other threads, whose
    # connections to an in-memory database can never be closed cleanly.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL switches to Redis, e.g. redis://127.0.0.1:6379/0
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# --- Accounts ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- E-mail -----------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Newsroom ---------------------------------------------------------------------------
# The station this site serves and the network it belongs to; shown in page headers,
# footers, bylines and the originality statement.
NEWSROOM_STATION_NAME = os.environ.get("NEWSROOM_STATION_NAME", "红岭网湘西站")
NEWSROOM_STATION_SHORT_NAME = os.environ.get("NEWSROOM_STATION_SHORT_NAME", "湘西站")
NEWSROOM_NETWORK_NAME = os.environ.get("NEWSROOM_NETWORK_NAME", "红岭网")
NEWSROOM_NETWORK_URL = os.environ.get("NEWSROOM_NETWORK_URL", "https://www.hongling.example/")
# Absolute origin used for permanent links (本文链接); empty means "the requested host".
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "").rstrip("/")
NEWSROOM_PAGE_SIZE = int(os.environ.get("NEWSROOM_PAGE_SIZE", "20"))
NEWSROOM_RELATED_LIMIT = int(os.environ.get("NEWSROOM_RELATED_LIMIT", "6"))
# Editorial workflow: how many reviews an article needs unless its channel says otherwise
# (1 = 终审 only, 2 = 初审 + 终审, 3 = 初审 + 复审 + 终审).
NEWSROOM_REVIEW_LEVELS = int(os.environ.get("NEWSROOM_REVIEW_LEVELS", "3"))
# Whether a superuser may act at two levels of one article's review chain.
NEWSROOM_SUPERUSERS_MAY_REVIEW_TWICE = env_bool("NEWSROOM_SUPERUSERS_MAY_REVIEW_TWICE")
# Whether a 总编辑 may put a small correction to a live article online without the chain.
NEWSROOM_DIRECT_CORRECTIONS = env_bool("NEWSROOM_DIRECT_CORRECTIONS")
# Articles waiting this long at one review level are flagged as overdue.
NEWSROOM_REVIEW_OVERDUE_HOURS = int(os.environ.get("NEWSROOM_REVIEW_OVERDUE_HOURS", "24"))
