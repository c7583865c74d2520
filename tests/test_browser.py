"""The seed briefing in a real browser: headless Chromium driven by selenium through Debian's chromium-driver
(nothing downloaded), with the network blocked. The page must load without a console error or a request,
render its charts with tooltips, open the evidence behind a number, search the concordance and print clean.
"""

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMEDRIVER).exists(),
    reason="chromedriver is not installed: scripts/install-system-deps.sh installs chromium-driver",
)


def _requests(driver) -> list[str]:
    """The URLs the page asked for since the last call (Chrome's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


@pytest.fixture(scope="module")
def browser(built):
    """The built seed briefing open in headless Chromium; what loading it logged and requested."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1280,1000",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves: nothing can be fetched
    ):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*"]}
        )
        url = (built / "briefing.html").resolve().as_uri()
        driver.get(url)
        figures = len(driver.find_elements("css selector", "figure.briefing-figure"))
        WebDriverWait(driver, 60).until(
            lambda d: len(d.find_elements("css selector", "figure.briefing-figure.live")) == figures
        )
        yield driver, url, driver.get_log("browser"), _requests(driver)
    finally:
        driver.quit()


def _errors(log: list[dict]) -> list[str]:
    return [entry["message"] for entry in log if entry["level"] == "SEVERE"]


def test_the_page_loads_with_no_console_error_and_no_network_request(browser):
    driver, url, console, requests = browser
    assert _errors(console) == []
    assert requests and all(r == url or r.startswith("data:") for r in requests), requests


def test_every_chart_renders_live_with_a_text_alternative_and_a_tooltip_on_hover(browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser[0]
    figures = driver.find_elements("css selector", "figure.briefing-figure")
    assert len(figures) == 16
    for figure in figures:
        assert figure.find_elements("css selector", ".chart-live svg.marks")
        assert (
            figure.find_element("css selector", ".chart-static")
            .get_attribute("aria-label")
            .startswith("Chart: ")
        )
        assert (
            figure.find_element("css selector", ".chart-live")
            .get_attribute("aria-label")
            .startswith("Chart: ")
        )
    # the first grid of cells is the theme × document heat map: its tooltip names the hits
    cell = driver.find_element("css selector", ".chart-live g.mark-rect path")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    ActionChains(driver).move_to_element(cell).perform()
    tooltip = WebDriverWait(driver, 10).until(
        lambda d: d.find_element("css selector", "#vg-tooltip-element.visible")
    )
    assert "Hits" in tooltip.text and re.search(r"\d", tooltip.text)


def _open(driver, link) -> list:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    WebDriverWait(driver, 10).until(
        lambda d: d.find_element("id", "evidence-panel").get_attribute("open") is not None
    )
    return driver.find_elements("css selector", "#evidence-panel tbody tr")


def test_the_number_in_the_first_key_finding_opens_as_many_sentences_as_it_says(browser, built):
    driver = browser[0]
    link = driver.find_element("css selector", "#finding-1 a.ev")
    number = int(link.text.replace(",", ""))
    # the number is the one the findings table states, checked against its table
    stated = json.loads(pd.read_csv(built / "tables" / "key_findings.csv")["checks"].iloc[0])[0][2]
    assert number in stated.values() and number > 0
    rows = _open(driver, link)
    assert len(rows) == number
    # one document each (a count of documents), the match highlighted, and the document named
    titles = [row.find_element("css selector", ".kwic-title").text for row in rows]
    assert len(set(titles)) == number and all(titles)
    assert all(row.find_element("css selector", ".kwic-match mark").text for row in rows)
    assert f"{number} in all" in driver.find_element("id", "evidence-note").text
    # search and document filter narrow the list
    search = driver.find_element("id", "evidence-search")
    search.send_keys("zzzz-nothing")
    assert driver.find_elements("css selector", "#evidence-panel tbody tr") == []
    search.clear()
    search.send_keys(" ")  # an input event with an empty query: every row again
    assert len(driver.find_elements("css selector", "#evidence-panel tbody tr")) == number
    driver.find_element("id", "evidence-close").click()
    # from the keyboard too: the number is a button
    from selenium.webdriver.common.keys import Keys

    driver.execute_script("arguments[0].focus()", link)
    link.send_keys(Keys.ENTER)
    assert driver.find_element("id", "evidence-panel").get_attribute("open") is not None
    assert len(driver.find_elements("css selector", "#evidence-panel tbody tr")) == number
    driver.find_element("id", "evidence-close").click()


def test_a_number_with_more_matches_than_the_panel_lists_says_how_many_in_all(browser, built):
    driver = browser[0]
    mentions = pd.read_csv(built / "tables" / "actor_appearances.csv").set_index("actor")["mentions"]
    link = driver.find_element("css selector", 'a.ev[data-ev="actor:trump:matches"]')
    assert int(link.text) == mentions["trump"] == 45
    rows = _open(driver, link)
    assert len(rows) == 45
    driver.find_element("id", "evidence-close").click()
    link = driver.find_element("css selector", 'a.ev[data-ev="actor:north_korea:matches"]')
    total = mentions["north_korea"]
    assert total > 50
    assert len(_open(driver, link)) == 50
    assert f"Showing the first 50 of {total}" in driver.find_element("id", "evidence-note").text
    driver.find_element("id", "evidence-close").click()


def test_the_concordance_search_for_a_listed_actor_returns_its_rows(browser):
    driver = browser[0]
    search = driver.find_element("id", "concordance-search")
    driver.execute_script("arguments[0].scrollIntoView()", search)
    search.send_keys("Lee Jae-myung")
    rows = driver.find_elements("css selector", "#concordance-table tbody tr")
    assert rows
    assert (
        sum("Actor: Lee Jae-myung" in row.find_element("css selector", ".kwic-what").text for row in rows)
        == 5
    )
    search.clear()
    search.send_keys("zzzz-nothing")
    assert driver.find_elements("css selector", "#concordance-table tbody tr") == []
    assert _errors(driver.get_log("browser")) == []


def test_printing_shows_the_static_charts_and_hides_the_interactive_parts(browser):
    driver = browser[0]
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = driver.execute_script(
            "return [...arguments[0]].map(s => getComputedStyle(document.querySelector(s)).display);",
            ["figure .chart-static", "figure .chart-live", "section.concordance", "#evidence-panel"],
        )
        assert shown[0] != "none" and shown[1:] == ["none", "none", "none"]
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
