"""GET /health: is this deployment alive, which version, do its tables answer."""

from bemtevi import __version__
from bemtevi.store.tables import tables_answering


def health() -> tuple[dict, bool]:
    tables = tables_answering()
    healthy = all(tables.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "version": __version__,
        "tables": {name: "ok" if up else "unavailable" for name, up in tables.items()},
    }
    return body, healthy
