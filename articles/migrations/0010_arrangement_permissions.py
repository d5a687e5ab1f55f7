"""Who arranges the site: 主编 and 总编辑 manage placements (编排) and special topics."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["articles.view_placement", "articles.view_topic", "articles.view_topicsection"]
MANAGE = VIEW + [
    f"articles.{verb}_{model}"
    for verb in ("add", "change", "delete")
    for model in ("placement", "topic", "topicsection", "topicentry")
]
ROLES = {"编辑": VIEW, "主编": MANAGE, "总编辑": MANAGE}


def grant(apps, schema_editor) -> None:
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group = Group.objects.get(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [code.split(".")[1] for code in MANAGE]
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_covering_article_indexes"), ("articles", "0003_editorial_roles")]

    operations = [migrations.RunPython(grant, revoke)]
