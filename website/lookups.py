"""The tag or person a list page is about, remembered while nothing it depends on changes.

Whether a tag or a person has a public page (at least one live article carries it) and
what the page shows of them change only with the topics the workflow and the admin
touch: ``tag:5`` or ``author:7`` when an article carrying them is published, withdrawn or
edited, ``site`` when the tag or person is edited, and time (an expiry) through
``seconds_until_next_change``. Only found objects are remembered; a 404 is asked again.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from delivery import freshness


def public_or_404(kind: str, public: Callable[[], QuerySet], **lookup: object) -> Model:
    """get_object_or_404(public(), **lookup), kept while the found object's topic
    (``tag`` and pk 5: ``tag:5``) and ``site`` keep their versions.

    ``public`` is built only when the object is not kept: the one public question for it.
    """
    where = f"{kind}:{sorted(lookup.items())}".encode()
    key = f"public:{hashlib.sha1(where).hexdigest()}"
    kept = cache.get(key)
    if kept is not None and freshness.is_fresh(kept[1]):
        return kept[0]
    before = freshness.epoch()
    found = get_object_or_404(public(), **lookup)
    made_with = freshness.versions({f"{kind}:{found.pk}"})
    if freshness.epoch() == before:  # nothing changed while it was read
        cache.set(key, (found, made_with), freshness.keep_seconds())
    return found
