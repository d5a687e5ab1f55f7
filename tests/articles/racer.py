"""One desk member racing others through the review chain, in a process of its own.

Run by tests/articles/test_racing.py as ``python -m tests.articles.racer USERNAME PK...``
with DATABASE_URL set: prints ``ready``, waits for a line on stdin (the start signal, sent
to every racer at once), then tries to approve, publish and withdraw each article in
turn and prints one JSON line per attempt: what it tried and whether it was refused.
"""

import json
import os
import random
import sys

import django


def main(username: str, pks: list[int]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.contrib.auth import get_user_model

    from articles.models import Article
    from desk.workflow import TransitionError

    user = get_user_model().objects.get(username=username)
    steps = {
        "approve": lambda article: article.approve(by=user, note="同意"),
        "publish": lambda article: article.publish(by=user),
        "withdraw": lambda article: article.withdraw(by=user, note="撤下重审"),
    }
    print("ready", flush=True)
    sys.stdin.readline()
    for action, step in steps.items():
        for pk in random.sample(pks, len(pks)):
            try:
                step(Article.objects.get(pk=pk))
            except TransitionError as refusal:
                outcome = {"refused": str(refusal)}
            else:
                outcome = {"refused": None}
            print(json.dumps({"pk": pk, "action": action, **outcome}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], [int(pk) for pk in sys.argv[2:]])
