"""manage.py search_quality: run the judged queries over the demo station and score them."""

from django.core.management.base import BaseCommand

from desk.demo.judgements import CUTOFF, by_kind, evaluate, precision_at_5


class Command(BaseCommand):
    help = (
        "Print the first results of each judged query (desk/demo/search_judgements.toml), "
        "then precision@5, MRR and the zero-result rate per kind of query. Needs the demo "
        "station loaded (manage.py load_demo)."
    )

    def handle(self, *args, **options) -> None:
        judged = evaluate()
        for item in judged:
            followed = f"  → {item.searched}" if item.searched else ""
            self.stdout.write(f"{item.precision:4.2f}  {item.query}  [{item.kind}]{followed}")
            for rank, title in enumerate(item.found, start=1):
                mark = "✓" if title in item.relevant else " "
                self.stdout.write(f"        {rank}. {mark} {title}")
            for title in set(item.relevant) - set(item.found):
                missing = f"        missing from the top {CUTOFF}: {title}"
                self.stdout.write(self.style.WARNING(missing))
        self.stdout.write("")
        self.stdout.write(f"{'kind':12} {'queries':>7} {'P@5':>6} {'MRR':>6} {'zero':>6}")
        for kind, score in by_kind(judged).items():
            self.stdout.write(
                f"{kind:12} {score['queries']:7d} {score['p@5']:6.3f} {score['mrr']:6.3f} "
                f"{score['zero']:6.1%}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"precision@{CUTOFF} over {len(judged)} queries: {precision_at_5(judged):.3f}"
            )
        )
