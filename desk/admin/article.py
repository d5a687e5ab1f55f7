"""Articles in the admin: the form editors write in, who may change what, bulk transitions.

The object-level rules live in the model and desk/workflow.py; this module only asks
them. A row the signed-in person may not edit is shown read-only, and a POST to it is
refused whatever URL or action it comes through.
"""

from typing import ClassVar

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.formfields import RefusesInvisibleCharacters
from articles.models import Article, ArticleAuthor, RelatedLink, RelatedPick
from articles.transitions import CHAINS, MOVES, Status
from desk import autosave, conflicts, remote_images, reviewsheet, workflow
from desk.admin import autosave as autosave_admin
from desk.admin import desk, remote, wordcheck
from desk.admin import preview as preview_admin
from desk.admin.search import body_or_byline
from photos.admin import GalleryPhotoInline


class EditableWithArticle(RefusesInvisibleCharacters):
    """Inline rows can be changed exactly when their article can."""

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if obj is not None and not obj.can_be_edited_by(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if obj is not None and not obj.can_be_edited_by(request.user):
            return False
        return super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if obj is not None and not obj.can_be_edited_by(request.user):
            return False
        return super().has_delete_permission(request, obj)


class ArticleAuthorInline(EditableWithArticle, admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]


class RelatedPickInline(EditableWithArticle, admin.TabularInline):
    model = RelatedPick
    fk_name = "from_article"
    extra = 0
    autocomplete_fields = ["to_article"]
    fields = ["position", "to_article"]


class RelatedLinkInline(EditableWithArticle, admin.TabularInline):
    model = RelatedLink
    extra = 0
    fields = ["position", "title", "url"]


class ArticleGalleryInline(EditableWithArticle, GalleryPhotoInline):
    """The photo set (组图) of a 红图 article, editable when the article is."""


class StateFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("草稿")),
            ("returned", _("已退回")),
            ("in_review", _("审核中")),
            ("approved", _("待发布")),
            ("scheduled", _("定时发布")),
            ("live", _("已上线")),
            ("expired", _("已过期下线")),
            ("withdrawn", _("已撤稿")),
            ("working_copy", _("修订稿")),
        ]

    def queryset(self, request, queryset):
        choices = {
            "draft": lambda q: q.filter(status=Status.DRAFT, return_note=""),
            "returned": lambda q: q.filter(status=Status.DRAFT).exclude(return_note=""),
            "in_review": lambda q: q.filter(status=Status.IN_REVIEW),
            "approved": lambda q: q.filter(status=Status.APPROVED),
            "scheduled": lambda q: q.scheduled(),
            "live": lambda q: q.published(),
            "expired": lambda q: q.filter(status=Status.PUBLISHED, expire_at__lte=timezone.now()),
            "withdrawn": lambda q: q.filter(status=Status.WITHDRAWN),
            "working_copy": lambda q: q.filter(revision_of__isnull=False),
        }
        return choices[self.value()](queryset) if self.value() in choices else queryset


class ArticleForm(forms.ModelForm):
    """The article form, carrying the version it was rendered at: a save made from an
    out-of-date form is refused, its input kept, and the changes made meanwhile shown."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    # An autosave the editor chose to restore (ArticleAdmin.get_form): shown, not yet saved.
    restored: ClassVar[dict] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.conflict: conflicts.StaleEdit | None = None
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.edit_version
        if self.restored and not self.is_bound:
            self.initial.update(self.restored)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk:
            try:
                # Locks the row until the admin's transaction has saved (or not).
                conflicts.check_fresh(self.instance, cleaned.get("edit_version"))
            except conflicts.StaleEdit as stale:
                self.conflict = stale
                # Saving this form again, after reading the changes, is a deliberate choice.
                self.data = self.data.copy()
                self.data[self.add_prefix("edit_version")] = stale.current_version
                raise ValidationError(
                    _("%(why)s为免覆盖别人的修改，这次保存没有生效；你填写的内容仍在下面。")
                    % {"why": stale},
                    code="stale",
                ) from stale
        return cleaned


@admin.register(Article)
class ArticleAdmin(RefusesInvisibleCharacters, admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "channel", "state", "first_published_at", "created_by", "updated_at"]
    list_filter = [StateFilter, "channel", "origin"]
    list_select_related = ["channel__parent", "editor", "created_by"]
    search_fields = ["title", "kicker", "subtitle", "summary"]
    search_help_text = _("按标题、引题、副题、摘要、正文或署名搜索。")
    date_hierarchy = "first_published_at"
    autocomplete_fields = ["channel", "editor", "cover_image"]
    readonly_fields = ["state", "body_preview", "first_published_at", "created_at", "updated_at"]
    inlines = [ArticleAuthorInline, RelatedPickInline, RelatedLinkInline, ArticleGalleryInline]
    actions = ["submit_selected", "approve_selected", "publish_selected"]

    class Media:
        # The body editor's extensions (photo and video pickers, pasting, 字数) are styled
        # from the page's head: a sheet they added once running moved the text under the
        # cursor as it arrived.
        css = {"all": ["articles/admin/photos.css", "articles/admin/desk-editor.css"]}

    fieldsets = [
        (None, {"fields": ["kicker", "title", "subtitle", "summary", "body"]}),
        (_("归属"), {"fields": ["channel", "tags", "editor", "cover_image"]}),
        (_("署名"), {"fields": ["dateline", "byline_override"]}),
        (
            _("来源"),
            {
                "fields": [
                    "origin",
                    "source",
                    "original_outlet",
                    "original_author",
                    "original_title",
                    "original_url",
                ]
            },
        ),
        (_("公示期"), {"fields": ["expire_at"]}),
        (_("状态"), {"fields": ["state", "first_published_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("正文"))
    def body_preview(self, article: Article) -> str:
        # Sanitised by articles.sanitize.clean_body in Article.save().
        return mark_safe(article.body)

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None) -> list:
        """Show the body as the reader will see it where it cannot be edited."""
        if obj is None or self.has_change_permission(request, obj):
            return self.fieldsets
        first, *rest = self.fieldsets
        fields = ["body_preview" if f == "body" else f for f in first[1]["fields"]]
        return [(first[0], {"fields": fields}), *rest]

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> list:
        """In review the channel stays put: it decides how many levels the chain has."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == Status.IN_REVIEW:
            fields.append("channel")
        return fields

    @admin.display(description=_("状态"))
    def state(self, article: Article) -> str:
        label = article.state_label()
        return _("%(state)s（修订稿）") % {"state": label} if article.revision_of_id else label

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """Values a link may fill in (``?channel=3``); a choice that is no id is dropped,
        not looked up (an address such as ``?channel=abc`` would fail the form)."""
        initial = super().get_changeform_initial_data(request)
        for field in Article._meta.concrete_fields:
            value = initial.get(field.name)
            is_id = isinstance(value, str) and value.isascii() and value.isdigit()
            if field.is_relation and isinstance(value, str) and not (is_id and len(value) < 19):
                del initial[field.name]
        return initial

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).visible_to(request.user)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """Titles as the search fields say, and body text and byline as well."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return found, may_have_duplicates
        return found | body_or_byline(queryset, search_term), may_have_duplicates

    def get_urls(self) -> list:
        own = autosave_admin.urls(self) + desk.urls(self) + preview_admin.urls(self)
        own += wordcheck.urls(self) + remote.urls(self)
        return own + super().get_urls()

    def view_on_site(self, article: Article) -> str | None:
        live = article.live_article
        return live.get_absolute_url() if live.first_published_at else None

    # --- Who may change what -------------------------------------------------------------

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if obj is not None and not obj.can_be_edited_by(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        """Only drafts that never appeared (or working copies) can be thrown away: by those
        with the delete permission, and by their writer (his own drafts only)."""
        if obj is None:
            return super().has_delete_permission(request, obj)
        if obj.first_published_at or not obj.can_be_edited_by(request.user):
            return False
        own = obj.created_by_id == request.user.pk and obj.status == Status.DRAFT
        return own or super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        if any(not self.has_delete_permission(request, article) for article in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        if change and not Article.objects.get(pk=obj.pk).can_be_edited_by(request.user):
            raise PermissionDenied
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        # What was autosaved is saved now: nothing is left to offer back.
        autosave.discard(obj if change else None, request.user)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        action = workflow_action(request)
        changed = not change or form.has_changed() or any(f.has_changed() for f in formsets)
        # A workflow button pressed on an unchanged form adds no empty version to the history.
        if action is None or changed:
            workflow.saved(form.instance, by=request.user)
        # Pasted pictures still on other sites are fetched into the library once committed.
        remote_images.note(form.instance, by=request.user)
        if action is not None and changed and change:
            self.message_user(request, _("已先保存你的修改。"), messages.SUCCESS)

    def response_add(self, request: HttpRequest, obj: Article, post_url_continue=None):
        if (action := workflow_action(request)) is not None:
            return self._act_after_saving(request, obj, action)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: Article):
        if (action := workflow_action(request)) is not None:
            return self._act_after_saving(request, obj, action)
        return super().response_change(request, obj)

    def _act_after_saving(
        self, request: HttpRequest, obj: Article, action: str
    ) -> HttpResponseRedirect:
        """The workflow button's action, on the article its form has just saved (in the
        same transaction); then the page of wherever the article went."""
        if action in MOVES:
            result = desk.run(request, obj, action, workflow_fields(request.POST, action))
        else:
            self.message_user(
                request, _("修改已保存；所请求的操作不存在，没有执行。"), messages.ERROR
            )
            result = None
        for candidate in (result, obj, obj.revision_of):
            if candidate is not None and Article.objects.filter(pk=candidate.pk).exists():
                return redirect(reverse("admin:articles_article_change", args=[candidate.pk]))
        return redirect(reverse("admin:articles_article_changelist"))

    def get_form(self, request: HttpRequest, obj: Article | None = None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        restoring = request.method == "GET" and request.GET.get("autosave") == "restore"
        if restoring and self._editable(request, obj):
            found = autosave.offer(obj, request.user, form)
            if found is not None:
                return type(form.__name__, (form,), {"restored": found.initial})
        return form

    def _editable(self, request: HttpRequest, obj: Article | None) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return self.has_change_permission(request, obj)

    def _nothing_lost_context(self, request: HttpRequest, obj: Article | None) -> dict:
        """The autosave banner and settings, and a workflow button the form refused."""
        if not self._editable(request, obj):
            return {}
        found = None
        if request.method == "GET":
            form = super().get_form(request, obj, change=obj is not None)
            found = autosave.offer(obj, request.user, form)
        restored = found is not None and request.GET.get("autosave") == "restore"
        args = [obj.pk] if obj else []
        suffix = "" if obj else "_new"
        action = workflow_action(request)
        return {
            "autosave": {
                "url": reverse(f"admin:articles_article_autosave{suffix}", args=args),
                "discard_url": reverse(
                    f"admin:articles_article_autosave_discard{suffix}", args=args
                ),
                "seconds": settings.NEWSROOM_AUTOSAVE_SECONDS,
                "offer": found,
                "restored": restored,
                # A form shown again after a refused POST holds input that is not saved.
                "unsaved": restored or request.method == "POST",
            },
            "workflow_refused": MOVES[action].label if action in MOVES else None,
        }

    def add_view(self, request, form_url="", extra_context=None):
        extra = self._nothing_lost_context(request, None) | {"wordcheck": wordcheck.empty()}
        return super().add_view(request, form_url, extra | (extra_context or {}))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra = {}
        if article:
            extra = (
                desk.panel_context(request, article)
                | wordcheck.panel_context(request, article)
                | self._nothing_lost_context(request, article)
            )
            keep_typed_notes(request, extra["workflow"]["actions"])
            extra["remote_images"] = remote_images.listed(article)
            extra["reads_records"] = desk.may_read_records(request.user, article)
            if extra["reads_records"]:
                # Every earlier opinion, for the reviewer acting from this page.
                extra["review_rounds"] = reviewsheet.rounds(article.live_article)
        return super().change_view(request, object_id, form_url, extra | (extra_context or {}))

    def history_view(self, request, object_id, extra_context=None):
        """The change log of a story, for those who may read its records."""
        article = self.get_object(request, unquote(object_id))
        if article is not None and not desk.may_read_records(request.user, article):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    # --- Bulk transitions ----------------------------------------------------------------

    # Each bulk action is offered only to those who may take that step at all; each row is
    # still checked by the transition itself.

    def has_submit_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.change_article")

    def has_review_permission(self, request: HttpRequest) -> bool:
        return any(request.user.has_perm(stage.permission) for stage in CHAINS[3])

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.publish_article")

    @admin.action(description=_("送审所选稿件"), permissions=["submit"])
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(
            request,
            queryset,
            "submit",
            lambda n: ngettext("已送审 %d 篇稿件。", "已送审 %d 篇稿件。", n),
        )

    @admin.action(description=_("审核通过所选稿件"), permissions=["review"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(
            request,
            queryset,
            "approve",
            lambda n: ngettext("已审核通过 %d 篇稿件。", "已审核通过 %d 篇稿件。", n),
        )

    @admin.action(description=_("立即发布所选稿件"), permissions=["publish"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(
            request,
            queryset,
            "publish",
            lambda n: ngettext("已发布 %d 篇稿件。", "已发布 %d 篇稿件。", n),
        )

    def _bulk(self, request: HttpRequest, queryset: QuerySet[Article], action: str, done) -> None:
        """Run one transition on each selected article; report what was refused and why."""
        succeeded = 0
        for article in queryset:
            try:
                getattr(article, action)(by=request.user)
            except workflow.TransitionError as refusal:
                self.message_user(request, f"《{article.title}》：{refusal}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done(succeeded) % succeeded, messages.SUCCESS)


# --- Workflow buttons inside the article form ----------------------------------------------


def workflow_action(request: HttpRequest) -> str | None:
    """The workflow button that posted the article form, if one did (保存并送审 is 送审)."""
    if request.method != "POST":
        return None
    if "_submit" in request.POST:
        return "submit"
    return request.POST.get("_workflow") or None


def workflow_fields(post: QueryDict, action: str) -> dict[str, str]:
    """The note, kind and time typed beside one button (``_workflow-approve-note`` …)."""
    prefix = f"_workflow-{action}-"
    return {
        key.removeprefix(prefix): value for key, value in post.items() if key.startswith(prefix)
    }


def keep_typed_notes(request: HttpRequest, actions: list[dict]) -> None:
    """A form shown again after a refused POST keeps the notes typed beside its buttons."""
    if request.method != "POST":
        return
    for action in actions:
        action["typed"] = workflow_fields(request.POST, action["name"])
