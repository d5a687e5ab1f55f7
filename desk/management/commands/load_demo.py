"""manage.py load_demo: fill an empty site with the demo station (safe to run again)."""

from django.core.management.base import BaseCommand

from delivery import freshness
from desk.demo.loader import ADMIN_PASSWORD, ADMIN_USERNAME, desk_accounts, load_demo


class Command(BaseCommand):
    help = "Load the demo channels, people, photos, videos and articles; existing rows are kept."

    def handle(self, *args, **options) -> None:
        report = load_demo()
        freshness.touch("site")  # every page may show what changed
        created = ", ".join(f"{what} {n}" for what, n in report.created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded (new: {created})."))
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        if report.admin_created:
            self.stdout.write(
                f"Demo admin account: {ADMIN_USERNAME} / {ADMIN_PASSWORD}  "
                "(http://127.0.0.1:8000/admin/)"
            )
        else:
            self.stdout.write(f"Admin account '{ADMIN_USERNAME}' already exists; left as it is.")
        self.stdout.write(
            "Desk accounts to try the review chain (same password on first load): "
            + ", ".join(f"{name} ({role})" for name, role in desk_accounts())
        )
