"""Python's own ``import`` put back in place of the hook PySide6 installs.

Importing PySide6 replaces ``builtins.__import__`` with a hook for its ``from __feature__
import snake_case, true_property`` syntax, which the kiosk does not use. After every import
in the process, that hook reads the imported module's source to see whether it mentions
PySide6 (``shibokensupport.feature``): a fifth of a millisecond a module, and the sources kept
in memory by ``linecache``. A front end imports some five hundred modules after Qt (the
services, the screens), so the hook cost the tablet a tenth of a second before its services
were ready. PySide6 keeps the original as ``builtins.__orig_import__``.
"""

from __future__ import annotations

import builtins

__all__ = ["restore_plain_import"]


def restore_plain_import() -> bool:
    """Put Python's own import back if PySide6's ``__feature__`` hook is the one in place;
    leave any other replacement (a debugger's, a test's) alone. Whether it was put back."""
    original = getattr(builtins, "__orig_import__", None)
    hook = getattr(builtins, "__feature_import__", None)
    if original is None or hook is None or builtins.__import__ is not hook:
        return False
    builtins.__import__ = original
    return True
