"""Latin slugs for Chinese names."""

from django.utils.text import slugify


def pinyin_slug(text: str) -> str:
    """Return a latin slug for a Chinese (or mixed) name: 泸溪县 → luxixian."""
    # Imported here: its phrase tables take about 50 MB, and only editors naming a channel
    # or a topic need them, never the processes serving readers.
    from pypinyin import lazy_pinyin

    return slugify("".join(lazy_pinyin(text)))[:50]
