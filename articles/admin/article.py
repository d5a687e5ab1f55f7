"""Articles in the admin: the form editors write in, who may change what, bulk transitions.

The object-level rules live in the model and articles/workflow.py; this module only asks
them. A row the signed-in person may not edit is shown read-only, and a POST to it is
refused whatever URL or action it comes through.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import conflicts, workflow
from articles.admin import desk
from articles.admin.image import GalleryPhotoInline
from articles.admin.text import RefusesInvisibleCharacters
from articles.models import Article, ArticleAuthor, RelatedLink, RelatedPick


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
            "draft": lambda q: q.filter(status="draft", return_note=""),
            "returned": lambda q: q.filter(status="draft").exclude(return_note=""),
            "in_review": lambda q: q.filter(status="in_review"),
            "approved": lambda q: q.filter(status="approved"),
            "scheduled": lambda q: q.scheduled(),
            "live": lambda q: q.published(),
            "expired": lambda q: q.filter(status="published", expire_at__lte=timezone.now()),
            "withdrawn": lambda q: q.filter(status="withdrawn"),
            "working_copy": lambda q: q.filter(revision_of__isnull=False),
        }
        return choices[self.value()](queryset) if self.value() in choices else queryset


class ArticleForm(forms.ModelForm):
    """The article form, carrying the version it was rendered at: a save made from an
    out-of-date form is refused, its input kept, and the changes made meanwhile shown."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.conflict: conflicts.StaleEdit | None = None
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.edit_version

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
    date_hierarchy = "first_published_at"
    autocomplete_fields = ["channel", "editor", "cover_image"]
    readonly_fields = ["state", "body_preview", "first_published_at", "created_at", "updated_at"]
    inlines = [ArticleAuthorInline, RelatedPickInline, RelatedLinkInline, ArticleGalleryInline]
    actions = ["submit_selected", "approve_selected", "publish_selected"]
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
        if obj is not None and obj.status == Article.Status.IN_REVIEW:
            fields.append("channel")
        return fields

    @admin.display(description=_("状态"))
    def state(self, article: Article) -> str:
        label = article.state_label()
        return _("%(state)s（修订稿）") % {"state": label} if article.revision_of_id else label

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).visible_to(request.user)

    def get_urls(self) -> list:
        return desk.urls(self) + super().get_urls()

    def view_on_site(self, article: Article) -> str | None:
        live = article.live_article
        return live.get_absolute_url() if live.first_published_at else None

    # --- Who may change what -------------------------------------------------------------

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if obj is not None and not obj.can_be_edited_by(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        """Only drafts that never appeared (or working copies) can be thrown away."""
        if obj is not None and (obj.first_published_at or not obj.can_be_edited_by(request.user)):
            return False
        return super().has_delete_permission(request, obj)

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

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        workflow.saved(form.instance, by=request.user)
        if "_submit" in request.POST:
            desk.run(request, form.instance, "submit")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra = desk.panel_context(request, article) if article else {}
        return super().change_view(request, object_id, form_url, extra | (extra_context or {}))

    # --- Bulk transitions ----------------------------------------------------------------

    @admin.action(description=_("送审所选稿件"))
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(
            request,
            queryset,
            "submit",
            lambda n: ngettext("已送审 %d 篇稿件。", "已送审 %d 篇稿件。", n),
        )

    @admin.action(description=_("审核通过所选稿件"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(
            request,
            queryset,
            "approve",
            lambda n: ngettext("已审核通过 %d 篇稿件。", "已审核通过 %d 篇稿件。", n),
        )

    @admin.action(description=_("立即发布所选稿件"))
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
