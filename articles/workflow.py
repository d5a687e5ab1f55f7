"""The review chain (三审): who may move an article from which state to which.

    draft ──submit──▶ in_review(1) ──approve──▶ … in_review(N) ──approve──▶ approved
      ▲                    │ reject (reason)                                   │
      └────────────────────┘                                      publish(at) ─┤
    withdrawn ◀──withdraw── published (live, or scheduled while its time is ahead)
       └──reopen──▶ draft

A published article is never edited in place: ``start_revision`` makes a working copy,
which goes through the same chain; publishing it replaces the live content at once.

Every transition locks the row, checks state and permission, writes a ``Transition``
record, and either completes or changes nothing. Refusals raise ``TransitionError``
with a message for the person who tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import freshness, related, revisions, search
from articles.models.history import Correction, Revision, Transition
from audit.chain import record as audit
from audit.models import Entry

if TYPE_CHECKING:
    from articles.models import Article

DRAFT, IN_REVIEW, APPROVED = "draft", "in_review", "approved"
PUBLISHED, WITHDRAWN = "published", "withdrawn"


class TransitionError(Exception):
    """A transition was refused; the message says why, in the desk's language."""


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    permission: str


FIRST = Stage("first", gettext_lazy("初审"), "articles.review_first")
SECOND = Stage("second", gettext_lazy("复审"), "articles.review_second")
FINAL = Stage("final", gettext_lazy("终审"), "articles.review_final")
CHAINS = {1: [FINAL], 2: [FIRST, FINAL], 3: [FIRST, SECOND, FINAL]}


# --- Questions ------------------------------------------------------------------------------


def review_levels(article: Article) -> int:
    """How many reviews the article needs: its channel's, its parent's, or the site's."""
    channel = article.channel
    for candidate in (channel, channel.parent if channel.parent_id else None):
        if candidate is not None and candidate.review_levels:
            return candidate.review_levels
    return settings.NEWSROOM_REVIEW_LEVELS


def chain(article: Article) -> list[Stage]:
    return CHAINS[review_levels(article)]


def stage_of(article: Article) -> Stage:
    """The stage an article in review waits for."""
    return chain(article)[article.review_level - 1]


def is_author(user, article: Article) -> bool:
    """The person who wrote it: its creator, or a credited author linked to the account."""
    rows = [article, article.live_article]
    if any(row.created_by_id == user.pk for row in rows):
        return True
    return article.credits.filter(author__user=user).exists()


def in_scope(user, article: Article) -> bool:
    """Editors limited to some channels act only on those channels (and sub-channels)."""
    if user.is_superuser:
        return True
    profile = getattr(user, "editor_profile", None)
    if profile is None or not profile.channels.exists():
        return True
    channel = article.channel
    return profile.channels.filter(Q(pk=channel.pk) | Q(pk=channel.parent_id)).exists()


def can_edit(article: Article, user) -> bool:
    """Drafts only: their creator, or a desk editor on the article's channel."""
    if article.status != DRAFT or not user.is_active:
        return False
    if user.is_superuser or article.created_by_id == user.pk:
        return True
    return user.has_perm("articles.edit_any_draft") and in_scope(user, article)


def allowed(action: str, article: Article, user) -> bool:
    """Whether ``user`` may take ``action`` now (the same checks the transition runs)."""
    try:
        CHECKS[action](article, user)
    except TransitionError:
        return False
    return True


# --- Checks ---------------------------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise TransitionError(message)


def _require_status(article: Article, *statuses: str) -> None:
    _require(
        article.status in statuses,
        _("稿件当前状态为“%(state)s”，不能进行此操作。") % {"state": article.state_label()},
    )


def _require_perm(user, permission: str, what: str) -> None:
    _require(
        user.is_active and user.has_perm(permission), _("你没有%(what)s的权限。") % {"what": what}
    )


def _acted_at_other_levels(user, article: Article) -> bool:
    if user.is_superuser and settings.NEWSROOM_SUPERUSERS_MAY_REVIEW_TWICE:
        return False
    return (
        article.live_article.transitions.filter(
            actor=user,
            round=article.review_round,
            action__in=[Transition.Action.APPROVE, Transition.Action.REJECT],
            on_working_copy=article.revision_of_id is not None,
        )
        .exclude(level=article.review_level)
        .exists()
    )


def check_submit(article: Article, user) -> None:
    _require_status(article, DRAFT)
    _require(can_edit(article, user), _("只有作者本人或本栏目编辑可以送审这篇稿件。"))


def check_review(article: Article, user) -> None:
    _require_status(article, IN_REVIEW)
    stage = stage_of(article)
    _require_perm(user, stage.permission, stage.name)
    _require(in_scope(user, article), _("这篇稿件不在你负责的栏目内。"))
    _require(not is_author(user, article), _("不能审核自己撰写的稿件。"))
    _require(
        not _acted_at_other_levels(user, article),
        _("你已在本稿件的其他审核环节签过意见，同一人不能审核两级。"),
    )


def check_approve(article: Article, user) -> None:
    check_review(article, user)
    if article.origin == article.Origin.REPRINT:
        missing = revisions.missing_attribution(article)
        _require(
            not missing,
            _("转载稿件的来源信息不完整（缺少：%(fields)s），不能通过审核。")
            % {"fields": "、".join(missing)},
        )


def check_publish(article: Article, user) -> None:
    _require_status(article, APPROVED)
    _require_perm(user, "articles.publish_article", _("发布稿件"))
    _require(in_scope(user, article), _("这篇稿件不在你负责的栏目内。"))
    from articles.photos import images_missing_alt_text  # it reads the photo library

    missing = images_missing_alt_text(article)
    _require(
        not missing,
        _("以下图片缺少替代文字，补全后才能发布：%(photos)s")
        % {"photos": "、".join(str(image) for image in missing)},
    )


def check_unschedule(article: Article, user) -> None:
    _require(
        article.status == PUBLISHED and article.is_scheduled(),
        _("只有尚未上线的定时稿件可以取消定时。"),
    )
    _require_perm(user, "articles.publish_article", _("发布稿件"))
    _require(in_scope(user, article), _("这篇稿件不在你负责的栏目内。"))


def check_withdraw(article: Article, user) -> None:
    _require_status(article, PUBLISHED)
    _require_perm(user, "articles.withdraw_article", _("撤稿"))
    _require(in_scope(user, article), _("这篇稿件不在你负责的栏目内。"))


def check_reopen(article: Article, user) -> None:
    _require_status(article, WITHDRAWN)
    _require_perm(user, "articles.withdraw_article", _("撤稿"))
    _require(in_scope(user, article), _("这篇稿件不在你负责的栏目内。"))


def check_start_revision(article: Article, user) -> None:
    _require_status(article, PUBLISHED)
    _require(
        user.is_superuser
        or article.created_by_id == user.pk
        or (user.has_perm("articles.edit_any_draft") and in_scope(user, article)),
        _("只有作者本人或本栏目编辑可以修改已发布的稿件。"),
    )
    _require(not article.working_copies.exists(), _("这篇稿件已有一份修订稿，请在修订稿上修改。"))


def check_correct_directly(article: Article, user) -> None:
    _require(settings.NEWSROOM_DIRECT_CORRECTIONS, _("本站设置不允许跳过审核直接更正。"))
    _require(article.revision_of_id is not None, _("只有已发布稿件的修订稿可以直接更正。"))
    _require_status(article, DRAFT)
    _require_perm(user, "articles.review_final", _("终审"))
    _require_perm(user, "articles.publish_article", _("发布稿件"))
    _require(in_scope(user, article), _("这篇稿件不在你负责的栏目内。"))


CHECKS = {
    "submit": check_submit,
    "approve": check_approve,
    "reject": check_review,
    "publish": check_publish,
    "unschedule": check_unschedule,
    "withdraw": check_withdraw,
    "reopen": check_reopen,
    "start_revision": check_start_revision,
    "correct_directly": check_correct_directly,
}


# --- Transitions ----------------------------------------------------------------------------


def _locked(article: Article) -> Article:
    # Lock the article row only: the channel join is there to read the review levels.
    rows = type(article).objects.select_for_update(of=("self",))
    return rows.select_related("channel__parent").get(pk=article.pk)


def _record(article: Article, by, action: str, from_status: str, note: str = "", **extra):
    """The step in the article's 审稿单 and, in the same transaction, in the audit log."""
    live = article.live_article
    step = Transition.objects.create(
        article=live,
        on_working_copy=article.revision_of_id is not None,
        action=action,
        from_status=from_status,
        to_status=article.status,
        round=article.review_round,
        actor=by,
        actor_name=by.get_full_name() or by.get_username(),
        note=note,
        **extra,
    )
    details = {
        "transition": action,
        "from": from_status,
        "to": step.to_status,
        "round": step.round,
        "level": step.level,
        "stage": step.stage,
        "on_working_copy": step.on_working_copy,
        "row": article.pk,
        "note": note,
    }
    audit(Entry.Action.TRANSITION, actor=by, obj=live, details=details)
    _on_commit_tell_authors(step)


def _refresh(article: Article, locked: Article) -> None:
    for field in ("status", "review_level", "review_round", "return_note", "first_published_at",
                  "withdrawn_at", "withdrawal_reason", "updated_at", "edit_version"):  # fmt: skip
        setattr(article, field, getattr(locked, field))


def _on_commit_tell_authors(step: Transition) -> None:
    from articles.notifications import notify_authors

    pk = step.pk
    transaction.on_commit(lambda: notify_authors.enqueue(pk))


def _on_commit_notify(article: Article) -> None:
    from articles.notifications import notify_reviewers

    pk = article.pk
    transaction.on_commit(lambda: notify_reviewers.enqueue(pk))


@transaction.atomic
def submit(article: Article, *, by) -> None:
    locked = _locked(article)
    check_submit(locked, by)
    locked.status, locked.review_level = IN_REVIEW, 1
    locked.review_round += 1
    locked.return_note = ""
    locked.save(
        update_fields=["status", "review_level", "review_round", "return_note", "updated_at"]
    )
    _record(locked, by, Transition.Action.SUBMIT, DRAFT)
    _refresh(article, locked)
    _on_commit_notify(locked)


@transaction.atomic
def approve(article: Article, *, by, note: str = "") -> None:
    locked = _locked(article)
    check_approve(locked, by)
    level, stage = locked.review_level, stage_of(locked)
    if level < len(chain(locked)):
        locked.review_level = level + 1
    else:
        locked.status, locked.review_level = APPROVED, 0
    locked.save(update_fields=["status", "review_level", "updated_at"])
    _record(locked, by, Transition.Action.APPROVE, IN_REVIEW, note, level=level, stage=stage.key)
    _refresh(article, locked)
    _on_commit_notify(locked)


@transaction.atomic
def reject(article: Article, *, by, note: str) -> None:
    locked = _locked(article)
    check_review(locked, by)
    _require(bool(note.strip()), _("退回稿件必须填写退回意见。"))
    level, stage = locked.review_level, stage_of(locked)
    locked.status, locked.review_level, locked.return_note = DRAFT, 0, note.strip()
    locked.save(update_fields=["status", "review_level", "return_note", "updated_at"])
    _record(
        locked, by, Transition.Action.REJECT, IN_REVIEW, note.strip(), level=level, stage=stage.key
    )
    _refresh(article, locked)


@transaction.atomic
def publish(
    article: Article, *, by, at: datetime | None = None, note: str = "", kind: str = "correction"
) -> Article:
    """Publish now, or at ``at`` (visible from then on). Returns the live article."""
    locked = _locked(article)
    check_publish(locked, by)
    now = timezone.now()
    if locked.revision_of_id:
        _require(at is None or at <= now, _("修订稿只能立即发布，不能定时。"))
        return _merge_working_copy(locked, by, note, kind, Transition.Action.PUBLISH)
    # A time already past is a mistake to report, not one to correct silently to now.
    _require(at is None or at >= now, _("定时发布时间已经过去，稿件没有发布。"))
    moment = at or now
    if not locked.has_been_public():
        locked.first_published_at = moment
    _require(
        not locked.expire_at or locked.expire_at > locked.first_published_at,
        _("下线时间早于发布时间，请先修改下线时间。"),
    )
    locked.status = PUBLISHED
    locked.save(update_fields=["status", "first_published_at", "updated_at"])
    action = Transition.Action.SCHEDULE if moment > now else Transition.Action.PUBLISH
    _record(locked, by, action, APPROVED, note)
    revisions.store(locked, by, Revision.Reason.PUBLISHED)
    search.index_article(locked)
    related.refresh(locked)
    freshness.announce(locked)
    _refresh(article, locked)
    return locked


@transaction.atomic
def unschedule(article: Article, *, by) -> None:
    locked = _locked(article)
    check_unschedule(locked, by)
    announced = freshness.article_topics(locked)
    locked.status = APPROVED
    locked.save(update_fields=["status", "updated_at"])
    search.unindex_article(locked)
    _record(locked, by, Transition.Action.UNSCHEDULE, PUBLISHED)
    freshness.announce(locked, also=announced)
    _refresh(article, locked)


@transaction.atomic
def withdraw(article: Article, *, by, note: str) -> None:
    locked = _locked(article)
    check_withdraw(locked, by)
    _require(bool(note.strip()), _("撤稿必须填写原因。"))
    locked.status, locked.withdrawn_at = WITHDRAWN, timezone.now()
    locked.withdrawal_reason = note.strip()
    locked.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    locked.working_copies.all().delete()
    search.unindex_article(locked)
    _record(locked, by, Transition.Action.WITHDRAW, PUBLISHED, note.strip())
    freshness.announce(locked)
    _refresh(article, locked)


@transaction.atomic
def reopen(article: Article, *, by) -> None:
    """Bring a withdrawn article back as a draft; it must pass the whole chain again."""
    locked = _locked(article)
    check_reopen(locked, by)
    locked.status = DRAFT
    locked.save(update_fields=["status", "updated_at"])
    _record(locked, by, Transition.Action.REOPEN, WITHDRAWN)
    freshness.announce(locked)
    _refresh(article, locked)


@transaction.atomic
def start_revision(article: Article, *, by) -> Article:
    """Open a working copy of a published article for editing; the live one stays as is."""
    locked = _locked(article)
    check_start_revision(locked, by)
    copy = revisions.clone_as_working_copy(locked, by)
    _record(copy, by, Transition.Action.REVISE, PUBLISHED)
    return copy


@transaction.atomic
def correct_directly(article: Article, *, by, note: str, kind: str = "correction") -> Article:
    """Put a small correction live without the chain, where the site allows it."""
    locked = _locked(article)
    check_correct_directly(locked, by)
    _require(bool(note.strip()), _("直接更正必须填写更正说明。"))
    return _merge_working_copy(locked, by, note, kind, Transition.Action.CORRECT)


def _merge_working_copy(copy: Article, by, note: str, kind: str, action: str) -> Article:
    live = type(copy).objects.select_for_update().get(pk=copy.revision_of_id)
    _require(live.status == PUBLISHED, _("原稿件已不在发布状态，修订稿不能发布。"))
    shown_before = freshness.article_topics(live)
    live.revised_at = timezone.now()
    revisions.apply(live, revisions.snapshot(copy))
    if note.strip():
        _require(kind in Correction.Kind.values, _("说明类型不正确。"))
        Correction.objects.create(article=live, kind=kind, text=note.strip(), created_by=by)
    from_status = copy.status
    copy.status = PUBLISHED  # for the record only: the copy is deleted below
    _record(copy, by, action, from_status, note.strip())
    revisions.store(live, by, Revision.Reason.PUBLISHED, from_working_copy=True)
    search.index_article(live)
    related.refresh(live)
    freshness.announce(live, also=shown_before)
    copy.delete()
    return live


@transaction.atomic
def restore(article: Article, revision: Revision, *, by) -> Article:
    """Bring an old version back as a draft: into the draft itself, or into a working copy.

    Returns the row that now holds the restored content.
    """
    locked = _locked(article)
    _require(revision.article_id == locked.live_article.pk, _("这个版本不属于这篇稿件。"))
    if locked.status == PUBLISHED:
        target = locked.working_copies.first() or start_revision(locked, by=by)
    else:
        _require_status(locked, DRAFT)
        target = locked
    _require(can_edit(target, by), _("你不能修改这篇稿件。"))
    revisions.apply(target, revision.content)
    revisions.store(target, by, Revision.Reason.RESTORED)
    return target
