"""Importing this package registers every scenario, in the order run.py runs them.

Planned next (see docs/BENCHMARKS.md): imports (values.csv vs raw SQLite).
"""

from . import units_provinces  # noqa: F401  (first: the self-test reads it first)
from . import transparency_log  # noqa: F401
from . import tasks_escalation  # noqa: F401
from . import ranking  # noqa: F401
from . import public_rankings  # noqa: F401
from . import events_fanout  # noqa: F401
