"""Pure dataclasses of the kiosk's world: identities, tickets, applications, staff.

Nothing here does I/O; storage and services build on these types.
"""
