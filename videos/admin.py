"""The video library in the admin: upload a clip (or paste a share link of an allowed
video site), describe it, pick the poster frame, add WebVTT subtitles, see where it is used.

Who may change a video: a 通讯员 only the videos they uploaded; 编辑 and above
(``change_any_video``) any video. Deleting is refused while a published article shows it.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from articles.formfields import guarded_formfield
from delivery import freshness
from delivery.admin import TouchesPublicPages
from videos import editor, embeds, ffmpeg, library
from videos.models import Video

ACCEPT = "video/mp4,video/quicktime,video/3gpp,video/webm,video/x-matroska,.mp4,.mov,.m4v,.3gp"


class VideoForm(forms.ModelForm):
    # Checked by videos.ffmpeg and stored by videos.library, never saved as posted.
    file = forms.FileField(
        label=_("视频文件"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"empty": ffmpeg.MESSAGES["empty"]},
    )
    subtitle_file = forms.FileField(
        label=_("字幕（WebVTT）"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".vtt,text/vtt"}),
        help_text=_("可选。.vtt 字幕文件，读者可在播放器中打开。"),
    )

    class Meta:
        model = Video
        fields = ["file", "share_url", "title", "caption", "credit", "poster_at"]
        formfield_callback = guarded_formfield
        widgets = {"poster_at": forms.NumberInput(attrs={"step": "0.1", "min": "0"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.probe: ffmpeg.Probe | None = None
        self.subtitles: bytes | None = None
        if "file" in self.fields:
            self.fields["file"].help_text = self.file_help()

    @staticmethod
    def file_help() -> str:
        return _(
            "手机或相机拍摄的 MP4、MOV 等视频，不超过 %(mb)s MB、%(seconds)s 秒；"
            "上传后自动转为 720p 和 480p 两种清晰度并截取封面。"
        ) % {"mb": settings.NEWSROOM_VIDEO_MAX_MB, "seconds": settings.NEWSROOM_VIDEO_MAX_SECONDS}

    def clean_file(self) -> None:
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.probe = library.check_upload(upload)
        return upload

    def clean_share_url(self) -> str:
        url = self.cleaned_data.get("share_url", "").strip()
        if url:
            embeds.player_url(url)  # refused here with its message unless allowed
        return url

    def clean_subtitle_file(self) -> None:
        upload = self.cleaned_data.get("subtitle_file")
        if isinstance(upload, UploadedFile):
            if self.instance.is_embed or self.cleaned_data.get("share_url"):
                raise ValidationError(_("外部嵌入的视频不能添加字幕。"))
            self.subtitles = library.check_subtitles(upload)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk:
            return cleaned
        has_file, has_link = bool(cleaned.get("file")), bool(cleaned.get("share_url"))
        if not has_file and not has_link and not self.errors:
            raise ValidationError(_("请上传视频文件，或粘贴一个分享链接。"), code="required")
        if has_file and has_link:
            raise ValidationError(_("上传文件和分享链接只能二选一。"), code="both")
        return cleaned


@admin.register(Video)
class VideoAdmin(TouchesPublicPages):
    form = VideoForm
    list_display = ["poster_thumb", "title", "status", "length", "uploaded_by", "uploaded_at"]
    list_display_links = ["poster_thumb", "title"]
    list_filter = ["status", "uploaded_at"]
    search_fields = ["title", "caption", "credit"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "facts", "where_used", "uploaded_by"]

    def get_fieldsets(self, request: HttpRequest, obj: Video | None = None) -> list:
        source = ["file", "share_url"] if obj is None else (["share_url"] if obj.is_embed else [])
        described = ["title", "caption", "credit"]
        if obj is None or not obj.is_embed:
            described += ["poster_at", "subtitle_file"]
        fieldsets = [(None, {"fields": [*source, *described]})]
        if obj is not None:
            fieldsets.append(
                (
                    _("资料"),
                    {"fields": ["preview", "facts", "uploaded_by", "where_used"]},
                )
            )
        return fieldsets

    # --- Columns and read-only fields ---------------------------------------------------

    @admin.display(description=_("封面"))
    def poster_thumb(self, video: Video) -> str:
        if not video.poster:
            return video.get_status_display() if not video.is_embed else _("外部嵌入")
        return format_html(
            '<img src="{}" alt="" class="photo-thumb" width="120">', video.poster_url()
        )

    @admin.display(description=_("时长"))
    def length(self, video: Video) -> str:
        minutes, seconds = divmod(round(video.duration), 60)
        return f"{minutes}:{seconds:02d}" if video.duration else "—"

    @admin.display(description=_("预览"))
    def preview(self, video: Video) -> SafeString | str:
        if video.status != Video.Status.READY:
            return video.problem or _("处理中…刷新本页查看结果。")
        return SafeString(
            render_to_string(
                "videos/figure.html", {"video": video, "caption": video.caption_with_credit()}
            )
        )

    @admin.display(description=_("视频信息"))
    def facts(self, video: Video) -> str:
        if video.is_embed:
            return format_html(_("外部播放器：{}"), video.player_url)
        copies = "、".join(f"{c['width']}×{c['height']}" for c in video.source_urls())
        return format_html(
            _("原始画面 {} × {}，时长 {}；播放文件 {}"),
            video.width,
            video.height,
            self.length(video),
            copies or "—",
        )

    @admin.display(description=_("使用处"))
    def where_used(self, video: Video) -> str:
        uses = library.uses(video).order_by("-id")
        if not uses:
            return _("尚未被任何稿件使用。")
        return format_html(
            "<ul class='where-used'>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>（{}）</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[a.pk]),
                        a.title,
                        a.get_status_display(),
                    )
                    for a in uses
                ),
            ),
        )

    # --- Who may change what --------------------------------------------------------------

    def has_change_permission(self, request: HttpRequest, obj: Video | None = None) -> bool:
        user = request.user
        mine = obj is None or obj.uploaded_by_id == user.pk
        if not mine and not user.has_perm("videos.change_any_video"):
            return False
        return super().has_change_permission(request, obj)

    # --- The body editor's picker -------------------------------------------------------

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("picker/", view(self.picker_view), name="videos_video_picker"),
            path("from-link/", view(self.from_link_view), name="videos_video_from_link"),
            *super().get_urls(),
        ]

    def picker_view(self, request: HttpRequest) -> JsonResponse:
        """Videos the body editor may insert: ready ones, newest first, searched by title."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = editor.picker_videos(request.GET.get("q", ""))
        return JsonResponse({"videos": [editor.picker_entry(video) for video in found]})

    def from_link_view(self, request: HttpRequest) -> HttpResponse:
        """A share link pasted into the body editor, made the library's embed (or the one
        the library has for it) and described as the picker describes videos."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        link = request.POST.get("share_url", "")
        try:
            video = editor.embed_from_link(
                link, request.POST.get("title", ""), uploaded_by=request.user
            )
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        return JsonResponse({"video": editor.picker_entry(video)}, status=201)

    # --- Saving -------------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Video, form: VideoForm, change: bool) -> None:
        if not change:
            obj.uploaded_by = request.user
        if form.probe:
            library.attach_original(obj, form.cleaned_data["file"], form.probe)
            library.schedule_transcode(obj)
        elif obj.share_url:
            obj.player_url = embeds.player_url(obj.share_url)
            obj.status = Video.Status.READY
            obj.save()
        else:
            obj.save()
            if change and "poster_at" in form.changed_data:
                library.choose_poster(obj)
        if form.subtitles:
            library.attach_subtitles(obj, form.subtitles)
        freshness.touch("site")

    def delete_model(self, request: HttpRequest, obj: Video) -> None:
        super().delete_model(request, obj)
        library.delete_files(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Video]) -> None:
        doomed = list(queryset)
        super().delete_queryset(request, queryset)
        for video in doomed:
            library.delete_files(video)

    def get_deleted_objects(self, objs, request: HttpRequest):
        """Refuse, by name, to delete a video that a published article shows."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for video in objs:
            for article in library.uses(video).published():
                protected.append(
                    format_html(
                        _("{video}：已发布稿件《{title}》正在使用"),
                        video=video,
                        title=article.title,
                    )
                )
        return deleted, counts, perms_needed, protected
