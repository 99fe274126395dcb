"""A test hook: stop the process dead at a named point, to prove that no such stop loses or corrupts anything.

Set ``SOCIALSEO_TEST_KILL_AT`` to a point's name and the process kills itself with SIGKILL when it gets there (no
cleanup, no ``finally``: exactly what a power cut or ``kill -9`` does). Unset, it costs one dictionary look-up.
The points, in the order an access-log import passes them:

``block-written``          the first block of a file is written, inside the import's transaction
``import-before-commit``   the import's rows and ledger row are written, not yet committed
``import-committed``       the import is committed; the derived tables are not yet rebuilt
``derived-before-commit``  sessions and page_daily are rebuilt, not yet committed
``derived-committed``      the rebuild is committed
"""

from __future__ import annotations

import os
import signal

ENV = "SOCIALSEO_TEST_KILL_AT"


def kill_point(name: str) -> None:
    """Die here, at once, when the test hook names this point (see the module's docstring)."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
