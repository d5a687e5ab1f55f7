"""The fold-in as a background task, and what follows it: the rankings and the totals."""

from django.tasks import task

from audience import ranking, totals
from audience.fold import Folded, fold


def fold_and_refresh() -> Folded:
    """Fold Redis into the database, then refresh 点击排行 and the 阅读量 totals."""
    done = fold()
    totals.remember(done.stories)
    ranking.refresh()
    return done


@task
def fold_reads() -> int:
    """The worker's fold-in; the number of reads added."""
    return fold_and_refresh().reads
