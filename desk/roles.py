"""The desk's roles: one group each, and the permissions that go with it.

This table is the only place the roles are defined. After every ``migrate`` (and after a
test database is flushed) each role group is made to hold exactly these permissions, so a
change here reaches every site on its next deploy. A site that wants to give someone more
adds a group of its own: rights added by hand to these four groups are reset.

通讯员/记者 write and submit; 编辑 review first; 主编 review second; 总编辑 give the final
review, publish and withdraw. Each role includes the one before it; the workflow keeps one
person from acting at two levels of the same round. The desk guide's "Editorial workflow (三审)"
prints the same table in words; tests/articles/test_permissions.py checks it as each role.
"""

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

CONTRIBUTOR = "通讯员/记者"
EDITOR = "编辑"
MANAGING_EDITOR = "主编"
EDITOR_IN_CHIEF = "总编辑"


def _crud(model: str, verbs: tuple[str, ...] = ("add", "change", "delete", "view")) -> list:
    return [f"articles.{verb}_{model}" for verb in verbs]


# What goes into a story with it: credits, 相关稿件, 相关链接 and 组图 rows. These are
# changed only while their article may be edited (a draft, or a working copy), and
# published only through the article's review.
_STORY_PARTS = [*_crud("articleauthor"), *_crud("relatedpick"), *_crud("relatedlink"),
                *_crud("galleryphoto")]  # fmt: skip
# A 通讯员 changes only photos they uploaded that no published article shows
# (photos/admin.py); change_any_image lifts that, and each change to a photo on
# a published article is written to the audit log. Videos likewise: a 通讯员 changes
# the videos they uploaded, change_any_video any (videos/admin.py).
_CONTRIBUTOR = [
    "articles.add_article", "articles.change_article", "articles.view_article",
    "articles.view_channel", "articles.add_author", "articles.view_author",
    "articles.view_editor", *_STORY_PARTS,
    "articles.add_image", "articles.change_image", "articles.view_image",
    "videos.add_video", "videos.change_video", "videos.view_video",
    "taggit.add_tag", "taggit.view_tag",
    # Everyone on the desk reads the word list (and so the check's results).
    "proofing.view_word",
]  # fmt: skip
_EDITOR = [
    *_CONTRIBUTOR,
    "articles.review_first", "articles.edit_any_draft", "articles.change_author",
    "articles.add_editor", "articles.change_editor", "articles.change_any_image",
    "videos.change_any_video",
    "articles.view_placement", "articles.view_topic", "articles.view_topicsection",
]  # fmt: skip
_ARRANGE = [
    f"articles.{verb}_{model}"
    for verb in ("add", "change", "delete")
    for model in ("placement", "topic", "topicsection", "topicentry")
]
# 主编 and above keep the word list (禁用, 慎用, 错别字) and may let a banned word through
# in one story, with a reason (proofing/check.py).
_WORD_LIST = [
    "proofing.add_word", "proofing.change_word", "proofing.delete_word",
    "proofing.release_banned",
]  # fmt: skip
# 主编 and above keep the search synonyms (养牛 ↔ 肉牛养殖 ...), applied to every search.
_SYNONYMS = [f"search.{verb}_synonym" for verb in ("add", "change", "delete", "view")]
_MANAGING_EDITOR = [
    *_EDITOR, "articles.review_second", "articles.change_channel", *_ARRANGE,
    "taggit.change_tag", *_WORD_LIST, *_SYNONYMS,
]  # fmt: skip
_EDITOR_IN_CHIEF = [
    *_MANAGING_EDITOR,
    "articles.review_final", "articles.publish_article", "articles.withdraw_article",
    "articles.backdate_article",
    "articles.delete_article", "articles.add_channel", "articles.delete_image",
    "videos.delete_video",
    "articles.link_any_account", "articles.assign_desk", "articles.delete_author",
    # The old site's URLs (importer/): the redirect table, and which stories came from it.
    "importer.add_redirect", "importer.change_redirect", "importer.delete_redirect",
    "importer.view_redirect", "importer.view_importedpage",
]  # fmt: skip

ROLES: dict[str, list[str]] = {
    CONTRIBUTOR: _CONTRIBUTOR,
    EDITOR: _EDITOR,
    MANAGING_EDITOR: _MANAGING_EDITOR,
    EDITOR_IN_CHIEF: _EDITOR_IN_CHIEF,
}


def sync_roles(
    sender: AppConfig | None = None,
    *,
    using: str = DEFAULT_DB_ALIAS,
    apps: Apps = global_apps,
    verbosity: int = 1,
    **kwargs,
) -> None:
    """Make each role group exist and hold exactly its permissions (a post_migrate receiver).

    Django creates an app's permissions when that app has migrated; every app's are made
    here first, since the table names permissions of apps that come after this one.
    """
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        wanted = set(codes)
        found = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in Permission.objects.using(using).select_related("content_type")
            if f"{p.content_type.app_label}.{p.codename}" in wanted
        }
        if missing := wanted - found.keys():
            raise LookupError(f"Role {name} names unknown permissions: {sorted(missing)}")
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(found.values())
