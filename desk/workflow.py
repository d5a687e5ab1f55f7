"""The review chain (三审): who may move an article from which state to which.

    draft ──submit──▶ in_review(1) ──approve──▶ … in_review(N) ──approve──▶ approved
      ▲       │            │ ◀──return_down── in_review(n)         ▲    │ hold / release
      │       │ discard    │ reject (reason)                       │    │ kill ──▶ killed
      └───────┼────────────┘                       return_down (N) ┘    │ publish(at)
    withdrawn ◀──withdraw── published (live, or scheduled while its time is ahead) ◀─┘
       └──reopen──▶ draft ◀──reopen── killed

A published article is never edited in place: ``start_revision`` makes a working copy,
which goes through the same chain; publishing it replaces the live content at once. A
working copy can be discarded at any point before then by its opener or by an editor of its
channel, after which a new one can start.

Who may act (people's questions are answered in desk/reviewers.py):

- The author of a working copy is the live article's author (creator and credited authors),
  not whoever opened the copy, unless that person also wrote it.
- Nobody acts at two levels of the current round; rounds are numbered across the live
  article and all its working copies, so finished corrections never count.
- A 主编 or 总编辑 may act at a lower level (approve, edit in review, return) only if distinct
  other people remain who can act at every higher level; otherwise the action is refused
  with the level that would be left without anyone. Rejecting to the author is always open
  to whoever may act at the level: it ends the round.
- Channel limits never leave a story with nobody: when the people whose limits reach its
  channel cannot take it through the rest of its chain alone, the limits are set aside for
  it (so a channel no limited 编辑 covers is open to every 编辑).
- A story is submitted, approved and published only when ``blockers`` is empty: whatever
  would stop its publication is refused at the door, with the reason.
- The reviewer who holds a story (may approve it at its current level) may correct its copy
  there: the save is a revision in their name and a step in the 审稿单; the story stays at
  its level.
- A reviewer at level n > 1 may return the story to level n-1 with a note; an approved
  story may be returned to the final level, held (暂缓: not publishable until released) or
  killed (撤销: ends unpublished, with a reason) by those who may publish and withdraw.

Every transition locks the row, checks state and permission, writes a ``Transition``
record, and either completes or changes nothing. Refusals raise ``TransitionError``
with a message for the person who tried. The table of transitions (statuses, permission,
labels) is articles/transitions.py; steps that change what the public sees send a signal of
articles/signals.py once committed, and search, related links and cached pages follow it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import signals
from articles.models.history import Correction, Revision, Transition
from articles.transitions import (
    BACKDATE,
    MOVES,
    PUBLISH,
    PUBLISHING,
    Move,
    Status,
    carries_out,
    chain,
    stage_of,
)
from articles.transitions import CHAINS as CHAINS
from articles.transitions import review_levels as review_levels
from audit.chain import record as audit
from audit.models import Entry
from desk import revisions
from desk.reviewers import (
    acted_elsewhere,
    in_scope,
    is_author,
    may_review,
    reviewers_at,
    unstaffed_levels,
)
from proofing.check import unreleased_banned_words

if TYPE_CHECKING:
    from articles.models import Article


class TransitionError(Exception):
    """A transition was refused; the message says why, in the desk's language."""


# --- Questions ------------------------------------------------------------------------------


def blockers(article: Article) -> list[str]:
    """What would stop the article's publication, each as a sentence its author can act on."""
    from desk import remote_images  # it fetches into the photo library
    from photos.photos import images_missing_alt_text  # it reads the photo library

    found = []
    if remote := remote_images.blocker(article):
        found.append(remote)
    if missing := images_missing_alt_text(article):
        found.append(
            _("以下图片缺少替代文字：%(photos)s")
            % {"photos": "、".join(str(image) for image in missing)}
        )
    if article.origin == article.Origin.REPRINT and (
        fields := revisions.missing_attribution(article)
    ):
        found.append(
            _("转载稿件的来源信息不完整（缺少：%(fields)s）") % {"fields": "、".join(fields)}
        )
    if settings.NEWSROOM_REQUIRE_BYLINE and not (
        article.byline_override.strip() or article.credits.exists()
    ):
        found.append(_("稿件没有署名：请添加作者或填写自定义署名"))
    if article.expire_at and article.expire_at <= timezone.now():
        found.append(_("下线时间已过：请修改或清空下线时间"))
    return found


@carries_out("can_edit")
def can_edit(article: Article, user) -> bool:
    """Drafts: their creator (for a working copy, also the live article's), or a desk editor
    on the article's channel. In review: the reviewer who holds it at its current level."""
    if not user.is_active:
        return False
    if article.status == Status.IN_REVIEW:
        return allowed("edit", article, user)
    if article.status != Status.DRAFT:
        return False
    if user.is_superuser or user.pk in (article.created_by_id, article.live_article.created_by_id):
        return True
    permission = "articles.edit_any_draft"
    return user.has_perm(permission) and in_scope(user, article, permission)


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


def _require_scope(user, article: Article, permission: str) -> None:
    _require(in_scope(user, article, permission), _("这篇稿件不在你负责的栏目内。"))


def _require_no_blockers(article: Article, what: str) -> None:
    found = blockers(article)
    _require(
        not found,
        _("稿件还不能%(what)s：%(reasons)s。") % {"what": what, "reasons": "；".join(found)},
    )


def _require_no_banned_words(article: Article, what: str) -> None:
    """禁用 words stop 送审 and 终审 until removed, or let through by a 主编 (proofing)."""
    words = unreleased_banned_words(article)
    _require(
        not words,
        _(
            "稿件含有禁用词%(words)s，不能%(what)s：请修改；确需保留的，须由主编或总编辑填写理由放行。"
        )
        % {"words": "、".join(f"“{word}”" for word in words), "what": what},
    )


def _require_higher_levels_staffed(article: Article, user) -> None:
    """Acting here must leave a different person for each level above (see reviewers.py)."""
    above = range(article.review_level + 1, len(chain(article)) + 1)
    if user.is_superuser or not above:
        return
    missing = unstaffed_levels(article, above, excluding=[user])
    _require(
        not missing,
        _("你在本级签署后，%(stages)s将没有其他人可以审核；请留给本级的其他审稿人。")
        % {"stages": "、".join(str(stage.name) for stage in missing)},
    )


def _opening(article: Article, user, action: str) -> Move:
    """The table's part of a check: the status it starts from, the permission and channels."""
    move = MOVES[action]
    if move.wrong_status:
        _require(article.status in move.sources, str(move.wrong_status))
    else:
        _require_status(article, *move.sources)
    if move.permission:
        _require_perm(user, move.permission, move.duty)
        _require_scope(user, article, move.permission)
    return move


def _ready(article: Article, action: str) -> None:
    """Whatever stops a publication stops the transitions the table marks."""
    if what := MOVES[action].blocked_as:
        _require_no_blockers(article, what)


def check_submit(article: Article, user) -> None:
    _opening(article, user, "submit")
    _require(can_edit(article, user), _("只有作者本人或本栏目编辑可以送审这篇稿件。"))
    _ready(article, "submit")
    _require_no_banned_words(article, _("送审"))
    # Counting superusers here: a site run by one may still take stories in.
    levels = range(1, len(chain(article)) + 1)
    missing = unstaffed_levels(article, levels, fresh=True, superusers=True)
    _require(
        not missing,
        _("本站没有可以对这篇稿件进行%(stages)s的人（作者本人不能审核），暂时不能送审。")
        % {"stages": "、".join(str(stage.name) for stage in missing)},
    )


def check_review(article: Article, user) -> None:
    """May act at the current level: reject it, or (with the checks below) more."""
    _opening(article, user, "reject")
    stage = stage_of(article)
    _require_perm(user, stage.permission, stage.name)
    _require(not is_author(user, article), _("不能审核自己撰写的稿件。"))
    _require(
        not acted_elsewhere(user, article, article.review_level),
        _("你已在本稿件的其他审核环节签过意见，同一人不能审核两级。"),
    )
    _require(may_review(user, article, article.review_level), _("这篇稿件不在你负责的栏目内。"))


def check_edit(article: Article, user) -> None:
    check_review(article, user)
    _require_higher_levels_staffed(article, user)


def check_approve(article: Article, user) -> None:
    check_edit(article, user)
    _ready(article, "approve")
    if article.review_level == len(chain(article)):
        _require_no_banned_words(article, _("通过终审"))


def check_return_down(article: Article, user) -> None:
    _opening(article, user, "return_down")
    if article.status == Status.APPROVED:
        _require_perm(user, PUBLISH, PUBLISHING)
        _require_scope(user, article, PUBLISH)
        # Recorded at the final level, where the returner may still sign it again.
        below, leaving = len(chain(article)), []
    else:
        _require(article.review_level > 1, _("稿件在第一级审核，只能退回作者。"))
        # Returning is acting at this level: the levels above must keep someone else.
        check_edit(article, user)
        below, leaving = article.review_level - 1, [user]
    _require(
        bool(reviewers_at(article, below, excluding=leaving)) or user.is_superuser,
        _("上一级没有其他人可以接手这篇稿件，请退回作者。"),
    )


def check_publish(article: Article, user) -> None:
    _opening(article, user, "publish")
    _require(not article.on_hold, _("稿件已暂缓发布，解除暂缓后才能发布。"))
    _ready(article, "publish")


def check_hold(article: Article, user) -> None:
    _opening(article, user, "hold")
    _require(not article.on_hold, _("稿件已经暂缓发布。"))


def check_release(article: Article, user) -> None:
    _opening(article, user, "release")
    _require(article.on_hold, _("稿件没有暂缓发布。"))


def check_kill(article: Article, user) -> None:
    _opening(article, user, "kill")
    _require(article.revision_of_id is None, _("修订稿不能撤销，请丢弃修订稿。"))


def check_unschedule(article: Article, user) -> None:
    move = _opening(article, user, "unschedule")
    _require(article.is_scheduled(), str(move.wrong_status))


def check_withdraw(article: Article, user) -> None:
    _opening(article, user, "withdraw")


def check_reopen(article: Article, user) -> None:
    _opening(article, user, "reopen")


def _is_channel_editor(user, article: Article) -> bool:
    permission = "articles.edit_any_draft"
    return user.has_perm(permission) and in_scope(user, article, permission)


def check_start_revision(article: Article, user) -> None:
    _opening(article, user, "start_revision")
    _require(
        user.is_superuser or article.created_by_id == user.pk or _is_channel_editor(user, article),
        _("只有作者本人或本栏目编辑可以修改已发布的稿件。"),
    )
    _require(not article.working_copies.exists(), _("这篇稿件已有一份修订稿，请在修订稿上修改。"))


def check_discard(article: Article, user) -> None:
    _require(article.revision_of_id is not None, _("只有修订稿可以丢弃。"))
    _opening(article, user, "discard")
    _require(
        user.is_active
        and (
            user.is_superuser
            or article.created_by_id == user.pk
            or _is_channel_editor(user, article)
        ),
        _("只有修订稿的创建者或本栏目编辑可以丢弃它。"),
    )


def check_correct_directly(article: Article, user) -> None:
    _require(settings.NEWSROOM_DIRECT_CORRECTIONS, _("本站设置不允许跳过审核直接更正。"))
    _require(article.revision_of_id is not None, _("只有已发布稿件的修订稿可以直接更正。"))
    _require_status(article, *MOVES["correct_directly"].sources)
    _require_perm(user, "articles.review_final", _("终审"))
    _opening(article, user, "correct_directly")
    _ready(article, "correct_directly")
    # Going live without the chain is the 终审's decision: the same words stop it.
    _require_no_banned_words(article, _("直接更正上线"))


CHECKS = {
    "submit": check_submit,
    "edit": check_edit,
    "approve": check_approve,
    "reject": check_review,
    "return_down": check_return_down,
    "publish": check_publish,
    "hold": check_hold,
    "release": check_release,
    "kill": check_kill,
    "unschedule": check_unschedule,
    "withdraw": check_withdraw,
    "reopen": check_reopen,
    "start_revision": check_start_revision,
    "discard": check_discard,
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
                  "withdrawn_at", "withdrawal_reason", "updated_at", "edit_version", "on_hold",
                  "hold_reason", "kill_reason"):  # fmt: skip
        setattr(article, field, getattr(locked, field))


def _on_commit_tell_authors(step: Transition) -> None:
    from desk.notifications import notify_authors

    pk = step.pk
    transaction.on_commit(lambda: notify_authors.enqueue(pk))


def _on_commit_notify(article: Article) -> None:
    from desk.notifications import notify_reviewers

    pk = article.pk
    transaction.on_commit(lambda: notify_reviewers.enqueue(pk))


def _next_round(article: Article) -> int:
    """Rounds count across the live article and every working copy it ever had, so that
    separation of duties sees only the round under way."""
    recorded = article.live_article.transitions.aggregate(last=Max("round"))["last"] or 0
    return max(article.review_round, recorded) + 1


def _note(action: str, note: str) -> str:
    """The note typed with the step, refused when the table requires one and it is empty."""
    note = note.strip()
    if required := MOVES[action].note_required:
        _require(bool(note), str(required))
    return note


def _announce(signal, article: Article, **kwargs) -> None:
    """Send a publishing signal (articles/signals.py) once this transaction commits."""
    sender = type(article)
    transaction.on_commit(lambda: signal.send(sender=sender, article=article, **kwargs))


@carries_out("submit")
@transaction.atomic
def submit(article: Article, *, by) -> None:
    locked = _locked(article)
    check_submit(locked, by)
    locked.status, locked.review_level = Status.IN_REVIEW, 1
    locked.review_round = _next_round(locked)
    locked.return_note = ""
    locked.save(
        update_fields=["status", "review_level", "review_round", "return_note", "updated_at"]
    )
    _record(locked, by, Transition.Action.SUBMIT, Status.DRAFT)
    _refresh(article, locked)
    _on_commit_notify(locked)


@carries_out("approve")
@transaction.atomic
def approve(article: Article, *, by, note: str = "") -> None:
    locked = _locked(article)
    check_approve(locked, by)
    level, stage = locked.review_level, stage_of(locked)
    if level < len(chain(locked)):
        locked.review_level = level + 1
    else:
        locked.status, locked.review_level = Status.APPROVED, 0
    locked.save(update_fields=["status", "review_level", "updated_at"])
    _record(locked, by, Transition.Action.APPROVE, Status.IN_REVIEW, note, level=level,
            stage=stage.key)  # fmt: skip
    _refresh(article, locked)
    _on_commit_notify(locked)


@carries_out("reject")
@transaction.atomic
def reject(article: Article, *, by, note: str) -> None:
    locked = _locked(article)
    check_review(locked, by)
    note = _note("reject", note)
    level, stage = locked.review_level, stage_of(locked)
    locked.status, locked.review_level, locked.return_note = Status.DRAFT, 0, note
    locked.save(update_fields=["status", "review_level", "return_note", "updated_at"])
    _record(
        locked, by, Transition.Action.REJECT, Status.IN_REVIEW, note, level=level, stage=stage.key
    )
    _refresh(article, locked)


@carries_out("return_down")
@transaction.atomic
def return_down(article: Article, *, by, note: str) -> None:
    """Send the story one level down (an approved one to its final review), with a note."""
    locked = _locked(article)
    check_return_down(locked, by)
    note = _note("return_down", note)
    from_status, stages = locked.status, chain(locked)
    if from_status == Status.APPROVED:
        level = to_level = len(stages)
    else:
        level, to_level = locked.review_level, locked.review_level - 1
    locked.status, locked.review_level = Status.IN_REVIEW, to_level
    locked.on_hold, locked.hold_reason = False, ""
    locked.save(update_fields=["status", "review_level", "on_hold", "hold_reason", "updated_at"])
    _record(locked, by, Transition.Action.RETURN, from_status, note, level=level,
            stage=stages[level - 1].key)  # fmt: skip
    _refresh(article, locked)
    _on_commit_notify(locked)


@carries_out("hold")
@transaction.atomic
def hold(article: Article, *, by, note: str = "") -> None:
    """暂缓: an approved story stays approved but cannot be published until released."""
    locked = _locked(article)
    check_hold(locked, by)
    locked.on_hold, locked.hold_reason = True, note.strip()
    locked.save(update_fields=["on_hold", "hold_reason", "updated_at"])
    _record(locked, by, Transition.Action.HOLD, Status.APPROVED, note.strip())
    _refresh(article, locked)


@carries_out("release")
@transaction.atomic
def release(article: Article, *, by) -> None:
    locked = _locked(article)
    check_release(locked, by)
    locked.on_hold, locked.hold_reason = False, ""
    locked.save(update_fields=["on_hold", "hold_reason", "updated_at"])
    _record(locked, by, Transition.Action.RELEASE, Status.APPROVED)
    _refresh(article, locked)
    _on_commit_notify(locked)


@carries_out("kill")
@transaction.atomic
def kill(article: Article, *, by, note: str) -> None:
    """撤销 (枪毙): an approved story ends unpublished, with the reason in its 审稿单."""
    locked = _locked(article)
    check_kill(locked, by)
    note = _note("kill", note)
    locked.status, locked.on_hold, locked.hold_reason = Status.KILLED, False, ""
    locked.kill_reason = note
    locked.save(update_fields=["status", "on_hold", "hold_reason", "kill_reason", "updated_at"])
    _record(locked, by, Transition.Action.KILL, Status.APPROVED, note)
    _refresh(article, locked)


@carries_out("discard")
@transaction.atomic
def discard(article: Article, *, by) -> None:
    """Throw a working copy away; the live article stays as it is and may be revised anew."""
    locked = _locked(article)
    check_discard(locked, by)
    from_status = locked.status
    _record(locked, by, Transition.Action.DISCARD, from_status)
    locked.delete()
    article.pk = None


@transaction.atomic
def saved(article: Article, *, by) -> Revision:
    """Record a save by the desk: a revision in the saver's name; a save in review is also a
    step of the 审稿单 at the story's level (the story stays there)."""
    if article.status != Status.IN_REVIEW:
        return revisions.store(article, by, Revision.Reason.SAVED)
    locked = _locked(article)
    check_edit(locked, by)
    _record(locked, by, Transition.Action.EDIT, Status.IN_REVIEW, level=locked.review_level,
            stage=stage_of(locked).key)  # fmt: skip
    return revisions.store(locked, by, Revision.Reason.EDITED_IN_REVIEW)


@carries_out("publish")
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
    # A time already past is a mistake to report, not one to correct silently to now; only
    # the 总编辑 may give a story that appeared elsewhere its real first-publication time.
    backdated = at is not None and at < now
    if backdated:
        _require(by.has_perm(BACKDATE), _("定时发布时间已经过去，稿件没有发布。"))
        _require(
            bool(note.strip()),
            _("定时发布时间已经过去，稿件没有发布。补录过去的首发时间必须在发布备注中写明原因。"),
        )
        _require(not locked.has_been_public(), _("稿件已经发布过，首发时间不能再改。"))
    moment = at or now
    if not locked.has_been_public():
        locked.first_published_at = moment
    _require(
        not locked.expire_at or locked.expire_at > locked.first_published_at,
        _("下线时间早于发布时间，请先修改下线时间。"),
    )
    locked.status = Status.PUBLISHED
    locked.save(update_fields=["status", "first_published_at", "updated_at"])
    action = Transition.Action.SCHEDULE if moment > now else Transition.Action.PUBLISH
    _record(locked, by, action, Status.APPROVED, note)
    if backdated:
        details = {"first_published_at": moment.isoformat(), "reason": note.strip()}
        audit(Entry.Action.BACKDATED, actor=by, obj=locked, details=details)
    revisions.store(locked, by, Revision.Reason.PUBLISHED)
    _announce(signals.article_published, locked, scheduled=moment > now)
    _refresh(article, locked)
    return locked


@carries_out("unschedule")
@transaction.atomic
def unschedule(article: Article, *, by) -> None:
    locked = _locked(article)
    check_unschedule(locked, by)
    locked.status = Status.APPROVED
    locked.save(update_fields=["status", "updated_at"])
    _record(locked, by, Transition.Action.UNSCHEDULE, Status.PUBLISHED)
    signals.article_leaving.send(sender=type(locked), article=locked)
    _announce(signals.article_unscheduled, locked)
    _refresh(article, locked)


@carries_out("withdraw")
@transaction.atomic
def withdraw(article: Article, *, by, note: str) -> None:
    locked = _locked(article)
    check_withdraw(locked, by)
    note = _note("withdraw", note)
    locked.status, locked.withdrawn_at = Status.WITHDRAWN, timezone.now()
    locked.withdrawal_reason = note
    locked.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    locked.working_copies.all().delete()
    _record(locked, by, Transition.Action.WITHDRAW, Status.PUBLISHED, note)
    signals.article_leaving.send(sender=type(locked), article=locked)
    _announce(signals.article_withdrawn, locked, reason=note)
    _refresh(article, locked)


@carries_out("reopen")
@transaction.atomic
def reopen(article: Article, *, by) -> None:
    """Bring a withdrawn or killed article back as a draft; it must pass the whole chain again."""
    locked = _locked(article)
    check_reopen(locked, by)
    from_status = locked.status
    locked.status, locked.kill_reason = Status.DRAFT, ""
    locked.save(update_fields=["status", "kill_reason", "updated_at"])
    _record(locked, by, Transition.Action.REOPEN, from_status)
    _announce(signals.article_reopened, locked)
    _refresh(article, locked)


@carries_out("start_revision")
@transaction.atomic
def start_revision(article: Article, *, by) -> Article:
    """Open a working copy of a published article for editing; the live one stays as is."""
    locked = _locked(article)
    check_start_revision(locked, by)
    copy = revisions.clone_as_working_copy(locked, by)
    _record(copy, by, Transition.Action.REVISE, Status.PUBLISHED)
    return copy


@carries_out("correct_directly")
@transaction.atomic
def correct_directly(article: Article, *, by, note: str, kind: str = "correction") -> Article:
    """Put a small correction live without the chain, where the site allows it."""
    locked = _locked(article)
    check_correct_directly(locked, by)
    _note("correct_directly", note)
    return _merge_working_copy(locked, by, note, kind, Transition.Action.CORRECT)


def _merge_working_copy(copy: Article, by, note: str, kind: str, action: str) -> Article:
    live = type(copy).objects.select_for_update().get(pk=copy.revision_of_id)
    _require(live.status == Status.PUBLISHED, _("原稿件已不在发布状态，修订稿不能发布。"))
    signals.article_revising.send(sender=type(live), article=live)
    live.revised_at = timezone.now()
    revisions.apply(live, revisions.snapshot(copy))
    if note.strip():
        _require(kind in Correction.Kind.values, _("说明类型不正确。"))
        Correction.objects.create(article=live, kind=kind, text=note.strip(), created_by=by)
    from_status = copy.status
    copy.status = Status.PUBLISHED  # for the record only: the copy is deleted below
    _record(copy, by, action, from_status, note.strip())
    revisions.store(live, by, Revision.Reason.PUBLISHED, from_working_copy=True)
    _announce(signals.article_revised, live)
    copy.delete()
    return live


@transaction.atomic
def restore(article: Article, revision: Revision, *, by) -> Article:
    """Bring an old version back as a draft: into the draft itself, or into a working copy.

    Returns the row that now holds the restored content.
    """
    locked = _locked(article)
    _require(revision.article_id == locked.live_article.pk, _("这个版本不属于这篇稿件。"))
    if locked.status == Status.PUBLISHED:
        target = locked.working_copies.first() or start_revision(locked, by=by)
    else:
        _require_status(locked, Status.DRAFT)
        target = locked
    _require(can_edit(target, by), _("你不能修改这篇稿件。"))
    revisions.apply(target, revision.content)
    revisions.store(target, by, Revision.Reason.RESTORED)
    return target
