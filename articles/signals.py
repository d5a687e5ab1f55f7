"""What publishing announces: the public side of a story changed.

The workflow (desk/workflow.py) sends each of these with ``transaction.on_commit``, so
receivers see the committed rows and nothing is sent when the transaction rolls back. Two are
sent inside the transaction, for receivers that must record something with the change itself:
``article_revising`` and ``article_leaving``.
``sender`` is always ``Article``; ``article`` the live article the public sees (or saw).
Receivers keep search and related links (search/receivers.py) and cached pages
(delivery/receivers.py) in step.
"""

from django.dispatch import Signal

article_published = Signal()
"""An article was published: live now, or scheduled (``scheduled`` is True) to appear at its
``first_published_at``. Arguments: ``article``, ``scheduled``."""

article_revised = Signal()
"""A live article's content was replaced by its working copy (through the chain, or as a
direct correction). Arguments: ``article`` (the live article, as now).

Receivers that need what the article showed before (its old channel, tags or authors) listen
to ``article_revising`` as well."""

article_revising = Signal()
"""A live article's content is about to be replaced; sent inside the transaction, just
before the change, so that receivers can note what the current version shows and act on it
after commit (``transaction.on_commit``: nothing then happens on a rollback). Sent
before commit. Arguments: ``article`` (the live article, as it still is)."""

article_unscheduled = Signal()
"""A scheduled article was taken back before it appeared (it is approved again).
Arguments: ``article``."""

article_leaving = Signal()
"""A public (or scheduled) article is about to leave the public: withdrawn or unscheduled.
Sent inside the transaction, so that what a receiver writes to the database commits or rolls
back with the change: the page cache records here that no page stored before may be answered
again, which must hold even if the process dies right after the commit. Arguments: ``article``."""

article_withdrawn = Signal()
"""A published article was withdrawn from the site. Arguments: ``article``, ``reason``."""

article_reopened = Signal()
"""A withdrawn or killed article became a draft again (its old page says so no longer).
Arguments: ``article``."""
