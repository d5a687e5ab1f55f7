"""The desk's roles as groups, with their permissions.

通讯员/记者 write and submit; 编辑 review first; 主编 review second; 总编辑 give the final
review, publish and withdraw. Each role includes the one before it; the workflow keeps
one person from acting at two levels of the same article.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTRIBUTOR = [
    "articles.add_article", "articles.change_article", "articles.view_article",
    "articles.view_channel", "articles.add_author", "articles.view_author",
    "articles.add_image", "articles.change_image", "articles.view_image",
    "taggit.add_tag", "taggit.view_tag",
]  # fmt: skip
EDITOR = CONTRIBUTOR + [
    "articles.review_first", "articles.edit_any_draft", "articles.change_author",
    "articles.view_editor",
]  # fmt: skip
MANAGING_EDITOR = EDITOR + ["articles.review_second", "articles.change_channel"]
EDITOR_IN_CHIEF = MANAGING_EDITOR + [
    "articles.review_final", "articles.publish_article", "articles.withdraw_article",
    "articles.delete_article", "articles.add_channel", "articles.add_editor",
    "articles.change_editor", "articles.delete_image", "taggit.change_tag",
]  # fmt: skip
ROLES = {
    "通讯员/记者": CONTRIBUTOR,
    "编辑": EDITOR,
    "主编": MANAGING_EDITOR,
    "总编辑": EDITOR_IN_CHIEF,
}


def create_roles(apps, schema_editor) -> None:
    # Permissions are normally created after migrations; make them exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
