"""What operations announce to the apps that keep copies of the site."""

from django.dispatch import Signal

site_restored = Signal()
"""A backup was restored over the database and media (ops/backup.py): whatever was cached
shows the site as it was before. Sent after the restore is checked; no arguments."""
