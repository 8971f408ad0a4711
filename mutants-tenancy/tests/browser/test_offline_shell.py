"""On a phone with the offline shell installed, a deployment that changes a shell script is
picked up at the next reload: the page runs the new script, the old cache is deleted, and the
roster still opens without network."""

from __future__ import annotations

import shutil
import time

from playwright.sync_api import expect

from tests.browser.test_foundation_flow import sign_in

SHELL_CACHES = "async () => (await caches.keys()).filter(n => n.startsWith('parcours-shell-'))"
KEPT_TEXT = """async (src) => {
  const [name] = (await caches.keys()).filter(n => n.startsWith('parcours-shell-'));
  const hit = await (await caches.open(name)).match(src);
  return hit ? hit.text() : '';
}"""


def _eventually(check, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "délai dépassé"
        time.sleep(0.2)


def test_a_new_app_js_reaches_an_installed_phone(
    page, live_server, live_app, tmp_path, monkeypatch
):
    static = tmp_path / "static"
    shutil.copytree(live_app.static_folder, static)
    monkeypatch.setattr(live_app, "static_folder", str(static))
    sign_in(page, live_server, "eti.jardins@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server}/s/jardins-du-val/presences/")
    _eventually(lambda: page.evaluate("!!navigator.serviceWorker.controller"))
    _eventually(lambda: len(page.evaluate(SHELL_CACHES)) == 1)
    [old_cache] = page.evaluate(SHELL_CACHES)
    assert page.evaluate("window.parcoursShellMarker") is None

    # The deployment: app.js changes on the server.
    with open(static / "js" / "app.js", "a", encoding="utf-8") as script:
        script.write('\nwindow.parcoursShellMarker = "nouvelle version";\n')
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Présences du")
    assert page.evaluate("window.parcoursShellMarker") == "nouvelle version"
    # The new worker took over: the old cache is deleted, the new one holds the new script.
    _eventually(lambda: len(caches := page.evaluate(SHELL_CACHES)) == 1 and caches != [old_cache])
    src = page.locator("script[src*='/js/app.js']").get_attribute("src")
    assert "nouvelle version" in page.evaluate(KEPT_TEXT, src)
    assert page.console_errors == []

    # Without network the roster still opens, with the new script from the new cache.
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Présences du")
    assert page.evaluate("window.parcoursShellMarker") == "nouvelle version"
    page.context.set_offline(False)
