"""Logging: one JSON object per line, on stdout."""
import json
import logging
import sys
import threading
from datetime import datetime, timezone

# Every record's "logger" is "serve", the name the server had as a single file.
log = logging.getLogger("serve")


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line; fields passed with extra={"fields": {...}} become top-level keys."""

    def format(self, record):
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def setup_logging(level_name):
    """Sends every record through JsonFormatter; returns whether level_name was not a level (info is used then)."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    level = logging.getLevelName(level_name.upper()) if level_name else logging.INFO
    bad_level = not isinstance(level, int)
    root.setLevel(logging.INFO if bad_level else level)
    logging.captureWarnings(True)
    sys.excepthook = lambda t, v, tb: log.critical("uncaught exception", exc_info=(t, v, tb))
    threading.excepthook = lambda a: log.critical("uncaught exception in thread %s", a.thread.name if a.thread else "?", exc_info=(a.exc_type, a.exc_value, a.exc_traceback))
    return bad_level


def event(level, msg, **fields):
    log.log(level, msg, extra={"fields": fields})
