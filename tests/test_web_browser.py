"""The pages in headless Chromium (Debian's package, driven by Playwright; `make test` installs it):
browse, search, follow an entity, survive a hostile article, fit a phone. Screenshots are kept in
build/screenshots as test artefacts."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from tests.conftest import HOSTILE, ROOT

from newsdesk.web import WebSettings, create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (make browser installs it)")
SHOTS = ROOT / "build" / "screenshots"
# Chromium must not try to reach Google's hosts from an offline machine.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def base_url(web_db: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(WebSettings(str(web_db))), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _page(browser, width: int = 1280):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.dialogs = []  # any alert() a hostile article managed to run
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


def test_open_a_story_from_the_list(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = _page(browser)
    page.goto(base_url + "/")
    rows = page.locator("table.stories tbody tr")
    assert rows.count() >= 3
    title = page.locator("table.stories td.title a").first.inner_text()
    page.locator("table.stories td.title a").first.click()
    page.wait_for_load_state()
    assert page.locator("article.story h2").inner_text() == title
    assert page.locator("h3", has_text="Key facts").is_visible()
    assert page.locator("sup.cite a").count() > 0
    page.screenshot(path=str(SHOTS / "story.png"), full_page=True)
    page.locator("a", has_text="Read the sources side by side").click()
    assert page.locator(".source-column").count() >= 2
    assert page.locator(".source-column a.ann-entity").count() > 0
    page.screenshot(path=str(SHOTS / "sources.png"))


def test_search_and_follow_an_entity(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = _page(browser)
    page.goto(base_url + "/")
    page.fill("header input[name=q]", "Brunner")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Brunner")
    page.screenshot(path=str(SHOTS / "search.png"))
    page.locator("section", has_text="Entities").locator("a", has_text="Brunner").first.click()
    page.wait_for_load_state()
    assert "Brunner" in page.locator("h1").inner_text()
    assert "Also written" in page.content()
    stories = page.locator("ul.entity-stories a")
    assert stories.count() >= 1
    page.screenshot(path=str(SHOTS / "entity.png"))
    stories.first.click()
    assert page.locator("article.story").is_visible()


def test_hostile_article_shows_its_markup_as_text(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = _page(browser)
    page.goto(f"{base_url}/articles/{HOSTILE['id']}")
    assert "<script>" in page.locator("h1").inner_text()
    assert "onerror=alert(4)" in page.locator(".article-text").inner_text()
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 0
    story = page.locator("a", has_text="←").first
    story.click()
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "hostile.png"))
    assert page.dialogs == []


@pytest.mark.parametrize("path", ["/", "/stories/{story}", "/stories/{story}/sources", "/articles/{article}"])
def test_pages_fit_a_phone(browser, base_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page = _page(browser, width=390)
    page.goto(base_url + "/")
    story = page.locator("table.stories td.title a").first.get_attribute("href").rsplit("/", 1)[1]
    url = base_url + path.format(story=story, article=HOSTILE["id"])
    page.goto(url)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    name = path.strip("/").replace("/", "-").replace("{", "").replace("}", "") or "list"
    page.screenshot(path=str(SHOTS / f"phone-{name}.png"), full_page=True)
    assert overflow <= 0
