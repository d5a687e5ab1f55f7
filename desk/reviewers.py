"""Who may review an article at which level, and whether its chain can still be finished.

The review chain's questions about people, asked by desk/workflow.py:

- **Authors** never review their own story. The author of a working copy is the live
  article's author (its creator and credited authors), not the person who opened the copy,
  unless that person also wrote it.
- **One person, one level**: within the current round (rounds are numbered across the live
  article and all its working copies) nobody acts at two levels.
- **Channel limits** (an editor profile's channels) narrow whom a story is offered to, but
  never leave it with nobody: when the people whose limits reach its channel cannot take it
  through the rest of its chain on their own, the limits are set aside for that story (a
  channel no limited 编辑 covers is then open to every 编辑). Publishing and withdrawing
  follow the same idea: a channel no holder of the permission reaches is open to all.
- **Seniors at a lower level**: acting at level n is allowed only if distinct other people
  remain who can act at every higher level (``unstaffed_levels``).

Superusers may act anywhere, but are never counted on to finish a chain: the desk must run
without them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from articles.models.history import Transition
from articles.transitions import Stage, chain

if TYPE_CHECKING:
    from articles.models import Article

# Steps by which a person takes part in a level of the current round.
ACTING = [
    Transition.Action.APPROVE,
    Transition.Action.REJECT,
    Transition.Action.RETURN,
    Transition.Action.EDIT,
]


def is_author(user, article: Article) -> bool:
    """The person who wrote it: the live article's creator, or a credited author linked to
    the account (on the row under review or on the live article)."""
    live = article.live_article
    if live.created_by_id == user.pk:
        return True
    rows = {article.pk, live.pk} - {None}
    return live.credits.model.objects.filter(article__in=rows, author__user=user).exists()


def holders(permission: str, *, superusers: bool = False) -> list:
    """Active desk members holding a permission through groups or directly (superusers only
    when asked: the desk must not depend on them)."""
    users = get_user_model().objects.with_perm(
        permission,
        include_superusers=superusers,
        backend="django.contrib.auth.backends.ModelBackend",
    )
    users = users.filter(is_active=True)
    return list(users if superusers else users.filter(is_superuser=False))


def covers(user, article: Article) -> bool:
    """Whether the person's own channel limits (if any) include the article's channel."""
    profile = getattr(user, "editor_profile", None)
    if profile is None or not profile.channels.exists():
        return True
    channel = article.channel
    return profile.channels.filter(Q(pk=channel.pk) | Q(pk=channel.parent_id)).exists()


def in_scope(user, article: Article, permission: str, candidates: Iterable | None = None) -> bool:
    """Within the person's channels, or in a channel none of the candidates (by default,
    every holder of the permission) reaches by their limits."""
    if user.is_superuser or covers(user, article):
        return True
    pool = holders(permission) if candidates is None else candidates
    return not any(covers(other, article) for other in pool)


def levels_acted(article: Article) -> dict[int, set[int]]:
    """user id -> the levels at which they acted in the article's current round."""
    acted: dict[int, set[int]] = {}
    steps = article.live_article.transitions.filter(
        round=article.review_round, action__in=ACTING
    ).values_list("actor_id", "level")
    for actor_id, level in steps:
        acted.setdefault(actor_id, set()).add(level)
    return acted


def acted_elsewhere(user, article: Article, level: int, acted: dict | None = None) -> bool:
    """Whether the person acted at another level of the current round (superusers may, where
    the site allows it)."""
    if user.is_superuser and settings.NEWSROOM_SUPERUSERS_MAY_REVIEW_TWICE:
        return False
    acted = levels_acted(article) if acted is None else acted
    return bool(acted.get(user.pk, set()) - {level})


def _free(article: Article, level: int, acted: dict, excluding: set, superusers: bool) -> list:
    """Holders of the level's permission who are neither authors nor bound elsewhere."""
    return [
        user
        for user in holders(chain(article)[level - 1].permission, superusers=superusers)
        if user.pk not in excluding
        and not is_author(user, article)
        and not acted_elsewhere(user, article, level, acted)
    ]


def _pools(
    article: Article, levels: list[int], acted: dict, excluding: Iterable, superusers: bool
) -> tuple[dict, bool]:
    """level -> who may act there, and whether channel limits were kept: they are set aside
    for a story that the people they reach could not take through ``levels`` alone."""
    left_out = {user.pk for user in excluding}
    free = {level: _free(article, level, acted, left_out, superusers) for level in levels}
    covering = {level: [u for u in free[level] if covers(u, article)] for level in levels}
    if _assign(levels, {level: [u.pk for u in users] for level, users in covering.items()}):
        return covering, True
    return free, False


def reviewers_at(article: Article, level: int, *, excluding: Iterable = ()) -> list:
    """The desk members (not superusers) who could act at ``level`` of the current round."""
    levels = list(range(level, len(chain(article)) + 1))
    pools, _kept = _pools(article, levels, levels_acted(article), excluding, False)
    return pools[level]


def may_review(user, article: Article, level: int) -> bool:
    """Whether channel limits let the person act at ``level``: within their channels, or
    where the limits are set aside for this story."""
    if user.is_superuser or covers(user, article):
        return True
    levels = list(range(level, len(chain(article)) + 1))
    _pools_found, kept = _pools(article, levels, levels_acted(article), [], False)
    return not kept


def unstaffed_levels(
    article: Article,
    levels: Iterable[int],
    *,
    excluding: Iterable = (),
    fresh: bool = False,
    superusers: bool = False,
) -> list[Stage]:
    """The stages among ``levels`` that cannot each get a different person (none of
    ``excluding``); empty when the chain can be finished. ``fresh``: for a new round."""
    levels = list(levels)
    acted = {} if fresh else levels_acted(article)
    found, _kept = _pools(article, levels, acted, excluding, superusers)
    pools = {level: [user.pk for user in users] for level, users in found.items()}
    if _assign(levels, pools, set()):
        return []
    stages = chain(article)
    # Name the empty levels; when each has someone but not a different someone, the top.
    return [stages[level - 1] for level in levels if not pools[level]] or [stages[levels[-1] - 1]]


def _assign(levels: list[int], pools: dict[int, list[int]], taken: set[int] | None = None) -> bool:
    """Whether each level can get its own person (a chain has at most three levels)."""
    if not levels:
        return True
    taken = taken or set()
    first, rest = levels[0], levels[1:]
    return any(_assign(rest, pools, taken | {pk}) for pk in pools[first] if pk not in taken)
