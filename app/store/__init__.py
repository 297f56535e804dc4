"""Shared state: the draft cache, job records and single-flight leases, behind one interface.

Two backends: SQLite (the embedded default, one file, no setup; shared by the server processes
of one machine) and Redis (for several workers or machines). `PM_STORE_URL` picks one:
`sqlite:///path/to/store.sqlite3` or `redis://host:6379/0`. Only redacted data is ever stored.
"""

from app.store.base import Lease, Store, StoreError
from app.store.factory import open_store

__all__ = ["Lease", "Store", "StoreError", "open_store"]
