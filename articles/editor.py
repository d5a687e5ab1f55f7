"""The body editor's own extensions beyond photos (static/articles/admin/desk-editor.js):
pasting from WeChat and Word, and the live 字数 under the editor.

The package's menus and dialogs speak the admin's language through Django's JavaScript
catalogue (locale/zh_Hans/LC_MESSAGES/djangojs.po); what is ours is labelled here.
"""

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
