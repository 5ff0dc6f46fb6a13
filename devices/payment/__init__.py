"""Payment terminals behind :class:`kiosk.ports.PaymentTerminal`: a simulator and an HTTP one."""
