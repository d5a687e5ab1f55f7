"""The leak crawl's station, built once per test through the editorial workflow."""

import pytest

from tests.trust import station as station_module


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the work that waits for a commit (cache purges), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def station(staff, committed, settings):
    """Live articles, a dressed live control, and one dressed article per hidden state."""
    settings.NEWSROOM_PAGE_SIZE = station_module.PAGE_SIZE
    settings.ROOT_URLCONF = "tests.trust.urls"
    return station_module.build(staff, committed)
