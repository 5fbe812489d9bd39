"""A headless Chromium driven by Selenium, from Debian's chromium and chromium-driver packages.

Nothing is downloaded at run time: the driver and the browser are given by path, and Selenium
Manager (which would fetch them) is made to fail if anything calls it. Without Chromium the
tests are skipped on a developer's machine, and fail in CI (where $CI is set), so that CI
never passes by skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WINDOW = (1280, 900)


def _no_download(*args, **kwargs):
    raise AssertionError("Selenium Manager was called: the tests must use /usr/bin/chromedriver only")


@pytest.fixture(scope="session")
def browser(tmp_path_factory) -> Iterator:
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        message = f"{CHROMIUM} and {CHROMEDRIVER} are needed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {message}")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.selenium_manager import SeleniumManager

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SeleniumManager, "binary_paths", _no_download)
        driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")
