"""Importing this package registers every scenario, in the order run.py runs them."""

from . import units_provinces  # noqa: F401  (first: the self-test reads it first)
from . import transparency_log  # noqa: F401
from . import tasks_escalation  # noqa: F401
from . import ranking  # noqa: F401
from . import public_rankings  # noqa: F401
from . import events_fanout  # noqa: F401
from . import values_import  # noqa: F401
from . import rollup_latency  # noqa: F401
from . import portal_under_writes  # noqa: F401
from . import sign_in_flood  # noqa: F401
from . import idle_flood  # noqa: F401
from . import feedback_load  # noqa: F401
from . import catalogue_scale  # noqa: F401
from . import national_portal  # noqa: F401
from . import national_ranking  # noqa: F401
