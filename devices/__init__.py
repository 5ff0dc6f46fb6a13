"""Device adapters behind the protocols of ``kiosk.ports``.

Each device ships a real adapter and a simulator beside it (the simulator is a product
feature: demo, training, CI). ``kiosk.app`` chooses between them from the configuration.
Nothing here imports Qt or the kiosk's services.
"""
