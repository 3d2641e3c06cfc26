"""Importing this package registers every scenario, in the order run.py runs them.

Planned next (see docs/BENCHMARKS.md): imports (values.csv vs raw SQLite),
events (server-sent events latency).
"""

from . import units_provinces  # noqa: F401
from . import ranking  # noqa: F401
