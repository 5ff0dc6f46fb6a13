"""The remote counter's call (リモート窓口) behind :class:`kiosk.ports.RemoteCall`.

``aiortc_call``: WebRTC with aiortc between a branch and the main office, host candidates on
the city LAN only (no STUN, no TURN); ``simulated``: the training and demo call, no network.
``media``: generated pictures and tones that measure themselves; ``signalling``: the offer
and answer over any :class:`kiosk.ports.SignallingChannel` (the sealed PostgreSQL relay);
``link``: a UDP relay that delays, loses or cuts packets, for the tests and the benchmark.
"""
