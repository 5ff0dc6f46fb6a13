"""Debian's chromium, headless, driven by chromedriver through Selenium.

Started per test session with a fresh profile directory; stopped through the driver, which
ends the browser it started (never by process name).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from harness import ServiceUnavailable
from harness.reaper import forget, watch

PHONE = (390, 844)    # a common phone's CSS viewport


class ChromiumService:
    """A headless chromium session at phone size."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.driver: Any = None
        self._chromedriver = 0
        self.binary = shutil.which("chromium") or shutil.which("chromium-browser")
        self.chromedriver = shutil.which("chromedriver")
        if self.binary is None or self.chromedriver is None:
            raise ServiceUnavailable("chromium or chromedriver is not installed "
                                     "(apt-get install chromium chromium-driver)")
        try:
            import selenium  # noqa: F401
        except ImportError as exc:
            raise ServiceUnavailable("selenium is not installed (pip install selenium)") from exc

    def start(self) -> Any:
        """Start the browser; the Selenium driver."""
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = str(self.binary)
        profile = self.workdir / "profile"
        profile.mkdir(parents=True, exist_ok=True)
        # Root in a container needs --no-sandbox; the rest keeps the browser off the network
        # (no updates, no sync) so that the only traffic is to the test's own server.
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run",
                         "--disable-default-apps", "--disable-extensions",
                         f"--user-data-dir={profile}", f"--window-size={PHONE[0]},{PHONE[1]}",
                         "--lang=en-US", "--force-device-scale-factor=1"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        try:
            self.driver = webdriver.Chrome(options=options, service=Service(
                str(self.chromedriver), log_output=str(self.workdir / "chromedriver.log")))
        except WebDriverException as exc:
            raise ServiceUnavailable(f"chromium did not start: {exc.msg}") from exc
        self.driver.set_window_size(*PHONE)
        self._chromedriver = self.driver.service.process.pid
        watch(self._chromedriver)       # if this pytest dies (see harness.reaper)
        return self.driver

    def stop(self) -> None:
        """Quit the browser (the driver ends the processes it started)."""
        if self.driver is not None:
            forget(self._chromedriver)
            self.driver.quit()
            self.driver = None
