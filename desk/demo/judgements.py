"""Judged queries over the demo station: does search put the right articles first?

The judgements (``search_judgements.toml``) name demo articles by their key in
``articles.toml``; an article is found in the database by its title, as the loader does.
Each query has a kind (simplified, traditional, pinyin, typo, synonym); a typo is scored
on what the reader reaches in one click: its results, or when it finds fewer than
``searchpage.FEW``, the results of the correction the page offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

from articles.models import Article
from desk.demo.loader import read
from search import search, searchpage, vocabulary

CUTOFF = 5


@dataclass(frozen=True)
class Judged:
    """One judged query: what should come first, and what did."""

    query: str
    kind: str
    relevant: tuple[str, ...]  # titles
    found: tuple[str, ...]  # titles of the first CUTOFF results
    searched: str = ""  # the correction followed, if any

    @property
    def precision(self) -> float:
        """Relevant articles among the first five, out of as many as could be there."""
        return len(set(self.found) & set(self.relevant)) / min(CUTOFF, len(self.relevant))

    @property
    def reciprocal_rank(self) -> float:
        """1 / the rank of the first relevant result in the first five (0 if none)."""
        ranks = [n for n, title in enumerate(self.found, start=1) if title in self.relevant]
        return 1 / ranks[0] if ranks else 0.0


def evaluate() -> list[Judged]:
    """Run every judged query the way the search page does and keep the top results."""
    titles = {entry["key"]: entry["title"] for entry in read("articles.toml")["article"]}
    words = vocabulary.current()
    judged = []
    for item in read("search_judgements.toml")["query"]:
        found, searched = _top(item["q"], words), ""
        if len(found) < searchpage.FEW and (correction := words.correction(item["q"])):
            found, searched = _top(correction, words), correction
        judged.append(
            Judged(
                query=item["q"],
                kind=item.get("kind", "simplified"),
                relevant=tuple(titles[key] for key in item["relevant"]),
                found=tuple(article.title for article in found),
                searched=searched,
            )
        )
    return judged


def _top(text: str, words: vocabulary.Vocabulary) -> list[Article]:
    criteria = search.Criteria(search.parse_query(text, words))
    if not criteria.query.terms:
        return []
    return list(search.results(Article.objects.published(), criteria)[:CUTOFF])


def precision_at_5(judged: list[Judged]) -> float:
    return mean(item.precision for item in judged)


def by_kind(judged: list[Judged]) -> dict[str, dict[str, float]]:
    """P@5, MRR and the share of queries that found nothing, per kind of query and all."""
    kinds = dict.fromkeys(item.kind for item in judged)
    groups = {kind: [item for item in judged if item.kind == kind] for kind in kinds}
    groups["all"] = judged
    return {
        kind: {
            "queries": len(items),
            "p@5": mean(item.precision for item in items),
            "mrr": mean(item.reciprocal_rank for item in items),
            "zero": mean(0.0 if item.found else 1.0 for item in items),
        }
        for kind, items in groups.items()
    }
