"""書かない・待たない窓口: the writing-free, wait-free counter kiosk.

The package is split by what the code does (see README, "Developers"): ``kiosk.domain`` holds
plain data, ``kiosk.procedures`` the form engine, ``kiosk.services`` the use cases,
``kiosk.storage`` the database, ``kiosk.audit`` the usage log and ``kiosk.ui`` the three Qt
front ends. Importing this package has no side effects.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
