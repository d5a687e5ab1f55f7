"""Judged queries over the demo station: does search put the right articles first?

The judgements (``search_judgements.toml``) name demo articles by their key in
``articles.toml``; an article is found in the database by its title, as the loader does.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

from articles.models import Article
from desk.demo.loader import read
from search import search

CUTOFF = 5


@dataclass(frozen=True)
class Judged:
    """One judged query: what should come first, and what did."""

    query: str
    relevant: tuple[str, ...]  # titles
    found: tuple[str, ...]  # titles of the first CUTOFF results

    @property
    def precision(self) -> float:
        """Relevant articles among the first five, out of as many as could be there."""
        return len(set(self.found) & set(self.relevant)) / min(CUTOFF, len(self.relevant))


def evaluate() -> list[Judged]:
    """Run every judged query the way the search page does and keep the top results."""
    titles = {entry["key"]: entry["title"] for entry in read("articles.toml")["article"]}
    judged = []
    for item in read("search_judgements.toml")["query"]:
        criteria = search.Criteria(search.parse_query(item["q"]))
        found = search.results(Article.objects.published(), criteria)[:CUTOFF]
        judged.append(
            Judged(
                query=item["q"],
                relevant=tuple(titles[key] for key in item["relevant"]),
                found=tuple(article.title for article in found),
            )
        )
    return judged


def precision_at_5(judged: list[Judged]) -> float:
    return mean(item.precision for item in judged)
