"""The waiting-room board: now calling, recent calls, waits and notices."""
