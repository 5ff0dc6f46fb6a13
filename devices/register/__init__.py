"""Adapters of :class:`kiosk.ports.ResidentRegister`: the nightly CSV extract held in memory,
and the synthetic register of the demo and the tests (no real person in it). The SQL view on a
copy database lives in :mod:`kiosk.storage.register_view` (only storage speaks SQL)."""
