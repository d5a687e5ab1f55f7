"""The photo library in the admin: upload (one or many), describe, focal point, where
used, replace, and deletion refused while a published article shows the photo.

Who may change a photo: a 通讯员 only the photos they uploaded that no published article
shows yet; 编辑 and above (``change_any_image``) any photo, and each change to a photo a
published article shows is written to the audit log. The same rule holds on the photo's
own form and on the batch-describe page.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.figures import fallback_copy
from articles.formfields import guarded_formfield
from articles.models import GalleryPhoto, Image
from articles.transitions import Status
from audit.chain import record as audit
from audit.models import Entry
from delivery.admin import TouchesPublicPages
from photos import images, photos

ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif"
PICKER_LIMIT = 40
DESCRIBED = ["caption", "credit", "alt_text", "watermark", "focal_x", "focal_y"]


def live_uses(image: Image) -> list[int]:
    """Ids of the published articles (live or scheduled) that show the photo."""
    return list(image.uses().filter(status=Status.PUBLISHED).values_list("pk", flat=True))


def may_change(user, image: Image) -> bool:
    """Whether ``user`` may change the photo's file, caption, credit or alt text."""
    if user.has_perm("articles.change_any_image"):
        return True
    return image.uploaded_by_id == user.pk and not live_uses(image)


def record_live_change(image: Image, before: dict, after: dict) -> None:
    """Write a change to a photo that published articles show to the audit log."""
    changed = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    if changed and (articles := live_uses(image)):
        audit(
            Entry.Action.LIVE_PHOTO_CHANGED,
            obj=image,
            details={"changed": changed, "articles": articles},
        )


def described(image: Image) -> dict:
    """What the audit log compares of a photo: its text, settings and original."""
    return {name: getattr(image, name) for name in [*DESCRIBED, "sha256"]}


class ImageForm(forms.ModelForm):
    # Checked by photos.images and stored by photos.photos, never saved as posted.
    file = forms.FileField(
        label=_("图片文件"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),  # an original is replaced, never cleared
        error_messages={"empty": images.MESSAGES["empty"]},
    )

    class Meta:
        model = Image
        fields = ["caption", "credit", "alt_text", "watermark", "focal_x", "focal_y"]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.probe: images.Probe | None = None
        for name in ("focal_x", "focal_y"):  # left empty: the middle of the photo
            if name in self.fields:  # not when the photo is shown read-only
                self.fields[name].required = False
        limit = settings.NEWSROOM_PHOTO_MAX_MB
        if self.instance.pk:
            self.fields["file"].label = _("替换图片文件")
            self.fields["file"].help_text = _("上传新文件将替换原图，所有使用处随之更新。")
        else:
            self.fields["file"].help_text = _(
                "JPEG、PNG、WebP、HEIC 或 GIF，不超过 %(limit)s MB。"
            ) % {"limit": limit}

    def clean_file(self) -> None:
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):  # nothing new: the form echoes the original
            if not self.instance.pk:
                raise ValidationError(_("请选择要上传的图片文件。"), code="required")
            return None
        self.probe = images.check_upload(photos.read_upload(upload))
        return None  # the original is stored by the admin through photos.photos

    def clean_focal_x(self) -> float:
        return self._focal("focal_x")

    def clean_focal_y(self) -> float:
        return self._focal("focal_y")

    def _focal(self, name: str) -> float:
        value = self.cleaned_data.get(name)
        return 0.5 if value is None else value

    def clean_alt_text(self) -> str:
        return self.cleaned_data["alt_text"].strip()


class DescribeForm(forms.ModelForm):
    """One photo of a batch upload: its caption, credit and alt text, checked as the
    photo's own form checks them."""

    class Meta:
        model = Image
        fields = ["caption", "credit", "alt_text", "watermark"]
        formfield_callback = guarded_formfield
        widgets = {
            "caption": forms.TextInput(attrs={"size": 50}),
            "alt_text": forms.TextInput(attrs={"size": 40}),
        }

    def clean_alt_text(self) -> str:
        return self.cleaned_data["alt_text"].strip()


# Existing photos only: a tampered form count never creates one.
DescribeFormSet = forms.modelformset_factory(Image, form=DescribeForm, extra=0, edit_only=True)


class BatchUploadForm(forms.Form):
    credit = forms.CharField(
        label=_("摄影/来源"),
        max_length=100,
        required=False,
        help_text=_("同一位摄影者的一批照片可在这里统一填写，之后还可逐张修改。"),
    )


@admin.register(Image)
class ImageAdmin(TouchesPublicPages):
    form = ImageForm
    list_display = ["preview", "caption", "credit", "size", "uploaded_by", "uploaded_at"]
    list_display_links = ["preview", "caption"]
    list_filter = ["uploaded_at", "taken_at", "watermark"]
    search_fields = ["caption", "credit", "alt_text"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["focal_picker", "facts", "where_used", "uploaded_by"]
    fieldsets = [
        (None, {"fields": ["file", "caption", "credit", "alt_text", "watermark"]}),
        (
            _("焦点"),
            {
                "fields": ["focal_picker", "focal_x", "focal_y"],
                "description": _("在照片上点击主体位置；封面等裁切图会保留这一点。"),
            },
        ),
        (_("资料"), {"fields": ["facts", "uploaded_by", "where_used"]}),
    ]

    class Media:
        js = ["articles/admin/focal-point.js"]
        css = {"all": ["articles/admin/photos.css"]}

    # --- Columns and read-only fields ---------------------------------------------------

    @admin.display(description=_("预览"))
    def preview(self, image: Image) -> str:
        copies = image.copies()
        if not copies:
            return _("处理失败") if image.problem else _("处理中…")
        return format_html(
            '<img src="{}" alt="{}" class="photo-thumb" width="{}" height="{}">',
            default_storage.url(copies[0]["name"]),
            image.alt_text,
            copies[0]["width"],
            copies[0]["height"],
        )

    @admin.display(description=_("尺寸"))
    def size(self, image: Image) -> str:
        return f"{image.width} × {image.height}" if image.width else "—"

    @admin.display(description=_("照片"))
    def focal_picker(self, image: Image) -> str:
        shown = fallback_copy(image)
        if not shown:
            if not image.pk:
                return _("上传后可在这里选择焦点。")
            return image.problem or _("处理中…")
        return format_html(
            '<div class="focal-picker" style="--x:{};--y:{}">'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-picker__mark"></span></div>',
            image.focal_x,
            image.focal_y,
            default_storage.url(shown["name"]),
            image.alt_text,
            shown["width"],
            shown["height"],
        )

    @admin.display(description=_("图片信息"))
    def facts(self, image: Image) -> str:
        if not image.pk:
            return "—"
        rows = [
            (_("尺寸"), self.size(image)),
            (_("格式"), image.format or "—"),
            (_("拍摄时间"), f"{image.taken_at:%Y-%m-%d %H:%M}" if image.taken_at else "—"),
            (_("相机"), image.camera or "—"),
        ]
        if image.problem and image.is_ready:  # copies of earlier settings still show
            rows.append((_("处理问题"), image.problem))
        return format_html_join("", "<div>{}：{}</div>", rows)

    @admin.display(description=_("使用处"))
    def where_used(self, image: Image) -> str:
        if not image.pk:
            return "—"
        uses = image.uses().select_related("channel").order_by("-id")
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

    def has_change_permission(self, request: HttpRequest, obj: Image | None = None) -> bool:
        if obj is not None and not may_change(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    # --- Saving -------------------------------------------------------------------------

    def changeform_view(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # A form that fails after the original was stored takes the stored files back.
        with photos.kept_only_if_committed():
            return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj: Image, form: ImageForm, change: bool) -> None:
        if not change:
            obj.uploaded_by = request.user
            photos.attach_original(obj, form.probe)
            super().save_model(request, obj, form, change)
            photos.schedule_rendering(obj)
            return
        before = described(Image.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        if form.probe:
            photos.replace_original(obj, form.probe)
        elif {"watermark", "focal_x", "focal_y"} & set(form.changed_data):
            photos.schedule_rendering(obj)
        record_live_change(obj, before, described(obj))
        if {"caption", "credit", "alt_text"} & set(form.changed_data):
            old = Image(caption=form.initial["caption"], credit=form.initial["credit"])
            photos.refresh_uses(obj, old_caption=old.caption_with_credit())

    def delete_model(self, request: HttpRequest, obj: Image) -> None:
        super().delete_model(request, obj)
        photos.delete_files(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Image]) -> None:
        doomed = list(queryset)
        super().delete_queryset(request, queryset)
        for image in doomed:
            photos.delete_files(image)

    def get_deleted_objects(self, objs, request: HttpRequest):
        """Refuse, by name, to delete a photo that a published article shows."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            for article in image.uses().published():
                protected.append(
                    format_html(
                        _("{photo}：已发布稿件《{title}》正在使用"),
                        photo=image,
                        title=article.title,
                    )
                )
        return deleted, counts, perms_needed, protected

    # --- Batch upload and the editor's picker ------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="articles_image_upload"),
            path("describe/", view(self.describe_view), name="articles_image_describe"),
            path("picker/", view(self.picker_view), name="articles_image_picker"),
            path("from-editor/", view(self.editor_upload_view), name="articles_image_from_editor"),
            *super().get_urls(),
        ]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Drop many photos at once; each is checked alone, refusals are named."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BatchUploadForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            added, refused = [], []
            for upload in request.FILES.getlist("files"):
                try:
                    added.append(
                        photos.add_photo(
                            upload, uploaded_by=request.user, credit=form.cleaned_data["credit"]
                        )
                    )
                except ValidationError as error:
                    refused.append((upload.name, " ".join(error.messages)))
            for name, reason in refused:
                messages.error(request, f"“{name}”：{reason}")
            if added:
                ids = ",".join(str(image.pk) for image in added)
                return redirect(f"{reverse('admin:articles_image_describe')}?ids={ids}")
            if not refused:
                messages.warning(request, _("请先选择照片。"))
        return TemplateResponse(
            request,
            "admin/articles/image/upload.html",
            self._page(request, _("批量上传图片"), form=form, accept=ACCEPT),
        )

    def describe_view(self, request: HttpRequest) -> HttpResponse:
        """Caption, credit and alt text for each photo of a batch just uploaded."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        # Ids as the upload writes them: short runs of ASCII digits, nothing else looked up.
        ids = [
            int(pk)
            for pk in request.GET.get("ids", "").split(",")
            if pk.isascii() and pk.isdigit() and len(pk) < 19
        ]
        requested = Image.objects.filter(pk__in=ids).order_by("id")
        mine = [image.pk for image in requested if may_change(request.user, image)]
        if refused := len(requested) - len(mine):
            messages.warning(
                request,
                ngettext(
                    "有 %(count)d 张图片你无权修改（已用于已发布稿件，或不是你上传的），未列出。",
                    "有 %(count)d 张图片你无权修改（已用于已发布稿件，或不是你上传的），未列出。",
                    refused,
                )
                % {"count": refused},
            )
        queryset = requested.filter(pk__in=mine)
        data = request.POST if request.method == "POST" else None
        formset = DescribeFormSet(data, queryset=queryset)
        if request.method == "POST" and formset.is_valid():
            for form in formset.forms:
                # A posted id outside the photos listed comes without its photo: skipped.
                if form.instance.pk is not None and form.has_changed():
                    before = described(Image.objects.get(pk=form.instance.pk))
                    image = form.save()
                    record_live_change(image, before, described(image))
                    if "watermark" in form.changed_data:
                        photos.schedule_rendering(image)
            count = len(formset.forms)
            self.message_user(
                request, ngettext("已保存 %d 张图片。", "已保存 %d 张图片。", count) % count
            )
            return redirect("admin:articles_image_changelist")
        rows = [(form, self.preview(form.instance)) for form in formset.forms]
        return TemplateResponse(
            request,
            "admin/articles/image/describe.html",
            self._page(request, _("填写图片说明"), formset=formset, rows=rows),
        )

    def picker_view(self, request: HttpRequest) -> JsonResponse:
        """Photos the body editor may insert: drawn ones, newest first, optionally searched;
        or the one photo asked for by id, once it is drawn."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = Image.objects.ready().matching(request.GET.get("q", ""))
        if (pk := request.GET.get("id", "")).isdigit():
            found = found.filter(pk=pk)
        found = found[:PICKER_LIMIT]
        return JsonResponse({"photos": [picker_entry(image) for image in found]})

    def editor_upload_view(self, request: HttpRequest) -> HttpResponse:
        """A photo dropped or pasted into the body editor: checked and added to the library
        as any upload is, then described to the editor as the picker describes photos."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            return JsonResponse({"error": _("请选择要上传的图片文件。")}, status=400)
        try:
            image = photos.add_photo(upload, uploaded_by=request.user)
        except ValidationError as error:
            reason = " ".join(error.messages)
            return JsonResponse({"error": f"“{upload.name}”：{reason}"}, status=400)
        return JsonResponse({"photo": editor_entry(image)}, status=201)

    def _page(self, request: HttpRequest, title: str, **context) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "media": self.media,
            **context,
        }


def picker_entry(image: Image) -> dict:
    """What the editor needs to place a photo: a preview, its size, alt text and caption."""
    shown = fallback_copy(image)
    return {
        "id": image.pk,
        "thumb": default_storage.url(image.copies()[0]["name"]),
        "src": default_storage.url(shown["name"]),
        "width": shown["width"],
        "height": shown["height"],
        "alt": image.alt_text,
        "caption": image.caption_with_credit(),
        "missingAlt": not image.alt_text,
    }


def editor_entry(image: Image) -> dict:
    """A photo just added from the editor: as the picker lists it once its copies are drawn;
    until then (a worker draws them) without a preview, which the stored body gains when
    they are drawn (photos.photos.refresh_uses)."""
    if image.is_ready:
        return picker_entry(image)
    return {
        "id": image.pk,
        "src": "",
        "width": image.width,
        "height": image.height,
        "alt": image.alt_text,
        "caption": image.caption_with_credit(),
        "missingAlt": not image.alt_text,
    }


class GalleryPhotoInline(admin.TabularInline):
    """The photos of a photo set (组图), in order, on the article form."""

    model = GalleryPhoto
    extra = 0
    autocomplete_fields = ["image"]
    fields = ["position", "image", "caption"]
    verbose_name = _("组图照片")
