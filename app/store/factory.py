"""Open the store that `PM_STORE_URL` names."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from app.errors import ConfigurationError
from app.store.base import Store

SCHEMES = ("sqlite", "redis", "rediss", "unix")


def open_store(url: str) -> Store:
    """A store for `sqlite:///<path>` (`sqlite://` alone: in memory) or `redis://...`."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        from app.store.sqlite import SqliteStore

        return SqliteStore(sqlite_path(url))
    if scheme in ("redis", "rediss", "unix"):
        from app.store.redis import RedisStore

        return RedisStore(url)
    raise ConfigurationError(
        f"PM_STORE_URL={display_url(url)!r} has an unknown scheme",
        hint="use sqlite:///path/to/store.sqlite3 or redis://host:6379/0",
    )


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///path` URL (`sqlite:////abs/path` or `sqlite:///rel/path`);
    None for `sqlite://` or `sqlite:///:memory:` (in memory, this process only)."""
    rest = url[len("sqlite://") :]
    if rest in ("", "/", "/:memory:"):
        return None
    if not rest.startswith("/"):
        raise ConfigurationError(
            f"PM_STORE_URL={url!r} is not sqlite:///<path>",
            hint="three slashes, then the path: sqlite:///var/lib/postmortem/store.sqlite3",
        )
    return Path(rest[1:])


def display_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()
