"""Log records as one JSON object per line, each carrying the id of its request.

Importable without Django settings: gunicorn's master process uses the formatter too.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being handled in this thread or task; "-" outside requests.
request_id: ContextVar[str] = ContextVar("request_id", default="-")

# Attributes every LogRecord has; anything else was passed with extra= and is logged too.
STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys()
    | {"message", "asctime", "request_id", "taskName"}
)

# gunicorn's access log passes its atoms as a dict; these become named fields.
ACCESS_ATOMS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "f": "referer",
    "a": "user_agent",
    "{x-request-id}o": "request_id",
}


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request it was logged in."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as a JSON object: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry.update(access_fields(record.args))
        for key, value in record.__dict__.items():
            if key not in STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def access_fields(atoms: dict) -> dict:
    """Pick the named fields of one gunicorn access-log line; durations in milliseconds."""
    fields = {name: atoms.get(atom) for atom, name in ACCESS_ATOMS.items() if atom in atoms}
    if fields.get("request_id") in (None, "-"):
        fields.pop("request_id", None)
    if "D" in atoms:
        fields["duration_ms"] = round(int(atoms["D"]) / 1000, 2)
    if "s" in atoms and str(atoms["s"]).isdigit():
        fields["status"] = int(atoms["s"])
    return fields
