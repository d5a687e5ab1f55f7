"""Fixtures shared by the desk's tests of the article form."""

import pytest

from articles.models import Article, Revision
from desk import revisions
from tests.factories import ArticleFactory


@pytest.fixture
def draft(staff) -> Article:
    """The writer's draft, saved once in the admin."""
    article = ArticleFactory(
        draft=True, created_by=staff.writer, title="吉首新增三处停车场", body="<p>初稿。</p>"
    )
    revisions.store(article, staff.writer, Revision.Reason.SAVED)
    return article
