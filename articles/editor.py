"""The body editor's own extensions beyond photos (static/articles/admin/desk-editor.js):
pasting from WeChat and Word, and the live 字数 under the editor; and its video picker
(static/articles/admin/video-editor.js, served by the video library's admin).

The package's menus and dialogs speak the admin's language through Django's JavaScript
catalogue (locale/zh_Hans/LC_MESSAGES/djangojs.po); what is ours is labelled here.
"""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

# Pasted text arrives as paragraphs, headings, lists, tables, bold, italic and links;
# styles, classes, spans, indents and empty paragraphs are left behind. A pasted image
# that lives on another site is kept, marked, until it is taken into the library.
EDITOR_PASTE = {
    "labels": {
        "remote": _("外链图片：须转存到图库后才能发稿"),
    },
}
# Every character counts as one, except that a run of ASCII letters and digits is one
# word; spaces and markup never count (articles.text.word_count counts the same way).
EDITOR_WORD_COUNT = {
    "label": _("字数：%(count)s"),
}
# The 插入视频 button (its title goes through the JavaScript catalogue as the menu's own
# do) opens a searchable list of the library's ready videos; choosing one inserts it,
# with its caption, after the paragraph holding the cursor. A share link pasted on a line
# of its own is offered as an embed (linkUrl), by the video library's rules.
EDITOR_VIDEO_PICKER = {
    "url": reverse_lazy("admin:videos_video_picker"),
    "linkUrl": reverse_lazy("admin:videos_video_from_link"),
    "labels": {
        "title": _("从视频库选择视频"),
        "search": _("按标题搜索"),
        "close": _("关闭"),
        "empty": _("没有找到可用的视频。"),
        "embed": _("外部嵌入"),
        "offer": _("这是视频分享链接吗？可转为嵌入视频："),
        "videoTitle": _("视频标题"),
        "convert": _("转为视频"),
        "dismiss": _("保留为文字"),
        "converting": _("正在转为嵌入视频…"),
        "converted": _("已转为嵌入视频，请填写视频说明。"),
        "failed": _("转换失败，请重试。"),
    },
}
