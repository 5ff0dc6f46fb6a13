"""The three Qt front ends (citizen tablet, clerk desktop, waiting-room board) and what they share.

This package is the only place that imports PySide6. Views are thin: each takes the services
or a model in its constructor, subscribes to core events through ``kiosk.ui.common.bridge``,
and keeps no business state.
"""
