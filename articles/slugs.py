"""Latin slugs for Chinese names."""

from django.utils.text import slugify
from pypinyin import lazy_pinyin


def pinyin_slug(text: str) -> str:
    """Return a latin slug for a Chinese (or mixed) name: 泸溪县 → luxixian."""
    return slugify("".join(lazy_pinyin(text)))[:50]
