"""The one-way public feed between the inner side (the queue) and the web host.

Pure protocol, no I/O: keys, ticket tokens, signed envelopes and the public snapshot. Both
sides import it; neither the web host nor this package imports the queue's storage.
"""
