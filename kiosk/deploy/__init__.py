"""Installing and running builds on the pilot devices: provenance, side-by-side versions, watchdog.

* :mod:`kiosk.deploy.provenance` — a build records its version, git revision and the SHA-256 of
  every file; ``kiosk doctor`` verifies the installed files against it.
* :mod:`kiosk.deploy.installs` — versions live side by side under ``<root>/versions/<version>``
  with a ``current`` pointer; update and roll back by switching it.
* :mod:`kiosk.deploy.watchdog` — restarts the kiosk when it exits unexpectedly or stops
  writing its heartbeat (hung).
"""
