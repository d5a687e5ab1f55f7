"""Draw the station's icons (website/icons.py) into static/site/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from website.icons import write_all


class Command(BaseCommand):
    help = "重新绘制站点图标（favicon 与各尺寸应用图标），写入 static/site/。"

    def handle(self, *args: object, **options: object) -> None:
        for path in write_all(Path(settings.BASE_DIR) / "static" / "site"):
            self.stdout.write(str(path.relative_to(settings.BASE_DIR)))
