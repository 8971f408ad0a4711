"""A live server on its own SQLite file with the demo data, and Debian's chromium."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from siae_app import create_app, tenancy
from siae_app.extensions import db
from tests.site import test_config as _config

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.no_db)


def _copy_sqlite(source: str, target: Path) -> None:
    """A consistent copy of an SQLite database (its backup API), which the copy's server may
    change freely."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture(scope="session")
def live(tmp_path_factory, demo_db):
    """(app, URL) of the live server; tests take live_server, or live_app to change it."""
    path = tmp_path_factory.mktemp("live") / "live.sqlite"
    cfg = _config(f"sqlite:///{path}")
    cfg.update(WTF_CSRF_ENABLED=True, SERVER_NAME=None, TESTING=False)
    # The flows sign the same demo people in many times.
    cfg.update(LOGIN_RATE_LIMIT_IP="1000 per minute", LOGIN_RATE_LIMIT_ACCOUNT="1000 per minute")
    app = create_app(cfg)
    if demo_db.sqlite_path:
        # The session's demo database (tests/demo_db.py), copied: the flows change theirs.
        _copy_sqlite(demo_db.sqlite_path, path)
    else:
        with app.app_context():
            upgrade()
            from siae_app.demo import load_demo

            tenancy.activate_system(db.session)
            load_demo(db.session)
            db.session.commit()
            db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def live_server(live):
    return live[1]


@pytest.fixture(scope="session")
def live_app(live):
    return live[0]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium manque en CI : .ci/run doit installer le paquet Debian chromium.")
        pytest.skip("Paquet Debian chromium absent (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    yield pg
    context.close()


# ------------------------------------------------------------------ checks on every page
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
MIN_TARGET = 44  # px, on a phone


def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core manque ({AXE_JS}) : lancez `make install` (npm).")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations of the page as it is on screen.

    axe is evaluated through the DevTools protocol, which the page's CSP does not block."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {
            resultTypes: ['violations'],
            // Off by default in axe (experimental): a control's name contains its visible text.
            rules: {'label-content-name-mismatch': {enabled: true}},
          });
          return r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)
              .map(n => n.target.join(' ')).join(' | '));
        }"""
    )
    return list(result)


# A target is what a finger presses: links, buttons, summaries, the labels of checkboxes and
# radios. A link inside running text (a paragraph with other words) is exempt, as WCAG 2.5.8.
SMALL_TARGETS_JS = """
(min) => {
  const small = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && el.offsetParent !== null
      && r.right > 0 && r.left < innerWidth;
  };
  const inRunningText = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.closest('p, li, dd, td');
    return block && block.textContent.trim().length > el.textContent.trim().length;
  };
  const targets = document.querySelectorAll(
    'a[href], button, summary, input[type=checkbox], input[type=radio], label');
  for (const el of targets) {
    if (el.matches('.skip-link') || !visible(el) || inRunningText(el)) continue;
    let box = el;
    if (el.tagName === 'INPUT') {
      box = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (!box) { box = el; } else continue;  // its label is measured
    }
    if (el.tagName === 'LABEL') {
      const control = el.control;
      if (!control || !['checkbox', 'radio'].includes(control.type)) continue;
    }
    const r = box.getBoundingClientRect();
    if (r.height < min - 0.5 || r.width < min - 0.5) {
      small.push(`${el.tagName.toLowerCase()} « ${el.textContent.trim().slice(0, 40)} » `
        + `${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return small;
}
"""


def small_targets(page) -> list[str]:
    return list(page.evaluate(SMALL_TARGETS_JS, MIN_TARGET))


def check_page(page, name: str = "") -> None:
    """What every page a test visits must pass: no serious/critical axe violation, every tap
    target at least 44×44 px (390 px wide), no horizontal scrolling."""
    where = name or page.url
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"
    small = small_targets(page)
    assert small == [], f"{where}: cibles trop petites {small}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), where


# ------------------------------------------------------------------ second factor

# The TOTP secret each demo account enrolled with during this run, and the last time step
# used (a code is accepted once: the next sign-in takes the following step).
TOTP_SECRETS: dict[str, str] = {}
_LAST_STEP: dict[str, int] = {}


def totp_code(email: str) -> str:
    import time

    import pyotp

    now = int(time.time()) // 30
    step = max(now, _LAST_STEP.get(email, 0) + 1)
    while step > int(time.time()) // 30 + 1:  # two sign-ins within one step: wait a little
        time.sleep(1)
    _LAST_STEP[email] = step
    return pyotp.TOTP(TOTP_SECRETS[email]).generate_otp(step)


def second_factor(page, email: str, check=None) -> None:
    """After « Se connecter »: enrol (reading the secret shown) or type a code, if asked.
    ``check(page, name)``: the accessibility check of each page passed through."""
    # Wait until the sign-in page is replaced (or refuses): the next page's URL is then known.
    page.wait_for_function(
        "() => { const h = document.querySelector('h1');"
        " return (h && h.textContent.trim() !== 'Connexion')"
        " || document.querySelector('.form-alert') !== null; }"
    )
    if page.url.endswith("/connexion/activer-double-authentification"):
        if check:
            check(page, "enrolment")
        TOTP_SECRETS[email] = page.locator("[data-secret]").inner_text().replace(" ", "")
        page.get_by_label("Code à 6 chiffres").fill(totp_code(email))
        page.get_by_role("button", name="Confirmer").click()
        page.get_by_role("heading", name="Vos codes de secours").wait_for()
        if check:
            check(page, "recovery codes")
        page.get_by_role("button", name="J'ai noté mes codes").click()
    elif page.url.endswith("/connexion/code"):
        if check:
            check(page, "code")
        page.get_by_label("Code à 6 chiffres").fill(totp_code(email))
        page.get_by_role("button", name="Valider").click()
    page.wait_for_load_state()
