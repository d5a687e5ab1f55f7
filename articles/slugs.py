"""Latin slugs for Chinese names, and a usable slug for any name at all."""

from collections.abc import Callable

from django.utils.text import slugify


def pinyin_slug(text: str) -> str:
    """Return a latin slug for a Chinese (or mixed) name: 泸溪县 → luxixian."""
    # Imported here: its phrase tables take about 50 MB, and only editors naming a channel
    # or a topic need them, never the processes serving readers.
    from pypinyin import lazy_pinyin

    return slugify("".join(lazy_pinyin(text)))[:50]


def usable_slug(
    made: str, *, fallback: str, taken: Callable[[str], bool], max_length: int = 50
) -> str:
    """Return ``made`` if it is a slug no other row holds; else a numbered one.

    A name of punctuation only (``>``, ``——``, ``#``) makes an empty slug, and a page
    address cannot be built on one: such a name gets ``fallback-1``, ``fallback-2``, ...
    A slug another row holds gets ``-2``, ``-3``, ... after it.
    """
    made = made[:max_length].strip("-_")
    if made and not taken(made):
        return made
    stem, number = (made, 2) if made else (fallback, 1)
    while True:
        suffix = f"-{number}"
        candidate = stem[: max_length - len(suffix)] + suffix
        if not taken(candidate):
            return candidate
        number += 1


def give_tag_a_slug(sender: type, instance, raw: bool = False, **kwargs) -> None:
    """Before a tag is first stored, turn an empty slug into ``tag-N`` (a pre_save receiver).

    django-taggit slugs a new tag's name keeping its Chinese (柑橘产业 stays 柑橘产业), but a
    name of punctuation only comes out empty, and every page listing that tag would fail.
    Tag is taggit's model, not ours to subclass, and its ``save()`` makes the slug just
    before storing the row: this receiver is the one place to step in.
    """
    if raw or instance.slug:
        return
    others = sender.objects.exclude(pk=instance.pk)
    instance.slug = usable_slug(
        "", fallback="tag", taken=lambda slug: others.filter(slug=slug).exists()
    )
