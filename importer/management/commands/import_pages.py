"""manage.py import_pages SOURCE: bring an old site's article pages in, at their old URLs.

SOURCE is a folder of saved pages, a WARC file (.warc or .warc.gz), or a text file of page
URLs (fetched politely: paced, retried, robots.txt obeyed, cached on disk). Running it
again updates what changed and duplicates nothing.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from importer import profile as profiles
from importer.fetch import Fetcher
from importer.run import run
from importer.sources import SourceError, open_source


class Command(BaseCommand):
    help = "Import an old site's article pages (folder, WARC or URL list) at their old URLs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="folder of saved pages, WARC file, or file of URLs")
        parser.add_argument("--profile", help="mapping profile (TOML); default: regional news")
        parser.add_argument("--user", help="desk account the import is recorded under")
        parser.add_argument("--report", help="CSV of pages skipped and why (default: dated)")
        parser.add_argument("--cache", default=settings.NEWSROOM_IMPORT_CACHE_DIR)
        parser.add_argument("--delay", type=float, default=settings.NEWSROOM_IMPORT_DELAY)
        parser.add_argument("--retries", type=int, default=3)

    def handle(self, *args, source: str, **options) -> None:
        try:
            profile = profiles.load(options["profile"])
        except profiles.ProfileError as error:
            raise CommandError(str(error)) from error
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No account named {options['user']!r}.")
        fetcher = Fetcher(
            Path(options["cache"]),
            delay=options["delay"],
            retries=options["retries"],
            user_agent=settings.NEWSROOM_IMPORT_USER_AGENT,
        )
        try:
            pages = open_source(source, fetcher=fetcher)
        except SourceError as error:
            raise CommandError(str(error)) from error
        report = Path(
            options["report"] or f"import-report-{timezone.localtime():%Y%m%d-%H%M%S}.csv"
        )
        summary = run(pages, profile, user=user, report=report, progress=options["verbosity"] > 0)
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(f"Report: {report}")
