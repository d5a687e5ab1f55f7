"""Articles in the admin: the form editors write in, inlines and publishing."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin.image import GalleryPhotoInline
from articles.models import Article, ArticleAuthor, RelatedLink, RelatedPick


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]


class RelatedPickInline(admin.TabularInline):
    model = RelatedPick
    fk_name = "from_article"
    extra = 0
    autocomplete_fields = ["to_article"]
    fields = ["position", "to_article"]


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    extra = 0
    fields = ["position", "title", "url"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "channel",
        "status",
        "first_published_at",
        "editor",
        "is_headline",
        "is_pinned",
        "is_featured",
        "updated_at",
    ]
    list_filter = ["status", "channel", "origin", "is_headline", "is_pinned", "is_featured"]
    list_select_related = ["channel__parent", "editor"]
    search_fields = ["title", "kicker", "subtitle", "summary"]
    date_hierarchy = "first_published_at"
    autocomplete_fields = ["channel", "editor", "cover_image"]
    readonly_fields = ["status", "first_published_at", "created_at", "updated_at"]
    inlines = [ArticleAuthorInline, RelatedPickInline, RelatedLinkInline, GalleryPhotoInline]
    actions = ["publish_selected", "unpublish_selected"]
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
        (_("展示位置"), {"fields": ["is_headline", "is_pinned", "is_featured"]}),
        (_("状态"), {"fields": ["status", "first_published_at", "created_at", "updated_at"]}),
    ]

    def view_on_site(self, article: Article) -> str | None:
        return article.get_absolute_url() if article.first_published_at else None

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if "_publish" in request.POST:
            try:
                form.instance.publish(by=request.user)
            except ValidationError as refusal:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)
                return
            self.message_user(request, _("稿件已发布。"), messages.SUCCESS)

    @admin.action(description=_("发布所选稿件"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = self._apply(request, queryset, Article.publish)
        self.message_user(
            request, ngettext("已发布 %d 篇稿件。", "已发布 %d 篇稿件。", count) % count
        )

    @admin.action(description=_("撤回所选稿件为草稿"))
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = self._apply(request, queryset, Article.unpublish)
        self.message_user(
            request, ngettext("已撤回 %d 篇稿件。", "已撤回 %d 篇稿件。", count) % count
        )

    def _apply(self, request: HttpRequest, queryset: QuerySet[Article], transition) -> int:
        """Run a transition method on each selected article, as the signed-in user."""
        done = 0
        for article in queryset:
            try:
                transition(article, by=request.user)
            except ValidationError as refusal:
                self.message_user(
                    request, f"{article}：{' '.join(refusal.messages)}", messages.ERROR
                )
            else:
                done += 1
        return done
