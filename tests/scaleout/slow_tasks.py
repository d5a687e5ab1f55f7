"""A task for the worker fault tests: it takes a while, and writes down each run."""

import os
import time
from pathlib import Path

from django.tasks import task


@task
def nap(seconds: float, journal: str) -> int:
    """Sleep ``seconds``, noting in ``journal`` when each run starts and ends; return the pid."""
    with Path(journal).open("a") as notes:
        notes.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with Path(journal).open("a") as notes:
        notes.write(f"done {os.getpid()}\n")
    return os.getpid()
