"""Headless Debian Chromium through Selenium, for the review page tests. Never downloads a browser or driver."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FACTCHECK_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000",
         "--force-device-scale-factor=1", "--lang=en-US"]


def unavailable(reason: str) -> None:
    """Skip, or fail when FACTCHECK_REQUIRE_INTEGRATION=1 (CI, where chromium must be installed)."""
    if os.environ.get("FACTCHECK_REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"{reason} (FACTCHECK_REQUIRE_INTEGRATION=1)")
    pytest.skip(reason)


def chromium(profile_dir: Path):
    """A fresh headless Chromium with its own profile; the caller quits it."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        unavailable("selenium is not installed (pip install selenium==4.51.0)")
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).exists() or shutil.which(path)):
            unavailable(f"{path} not found (apt-get install -y chromium chromium-driver)")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never try to fetch a driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver
