"""Screenshots of the suite's main screens from the demo database (issue 13), taken
with headless Chromium through the DevTools protocol; run by scripts/screenshots.sh.

Usage: screenshots.py URL DB OUT_DIR   (SCREENSHOT_ONLY=a.png,b.png: only those)

Each screen is taken as the demo user of its role (password = login), in that user's
language: the distributor's portal in Chinese, the channel manager's back office in
Chinese, the salesperson's opportunity in English. Records are found through JSON-RPC
as the administrator (the demo's first matching record), never by database id.
"""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

DESKTOP = (1440, 900)
# The page is drawn: the web client shows a view and loads nothing more; a portal page
# has loaded.
READY_BACKEND = (
    "document.readyState === 'complete' && !!document.querySelector('.o_view_controller')"
    " && !document.querySelector('.o_loading_indicator, .o-loading')"
    " && !!document.querySelector('.o_content')"
)
READY_PORTAL = (
    "document.readyState === 'complete' && !document.querySelector('.spinner-border, .fa-spin')"
)
PHONE = (390, 844)


def rpc(session, url, path, params):
    response = session.post(
        f"{url}{path}", json={"jsonrpc": "2.0", "method": "call", "params": params}, timeout=120
    )
    body = response.json()
    if "error" in body:
        raise RuntimeError(f"{path}: {body['error'].get('data', {}).get('message')}")
    return body["result"]


def login(url, db, user):
    session = requests.Session()
    rpc(session, url, "/web/session/authenticate", {"db": db, "login": user, "password": user})
    return session


def search_first(admin, url, model, domain, order="id"):
    result = rpc(
        admin,
        url,
        f"/web/dataset/call_kw/{model}/search",
        {
            "model": model,
            "method": "search",
            "args": [domain],
            "kwargs": {"limit": 1, "order": order},
        },
    )
    return result[0] if result else None


class Browser:
    """One headless Chromium, one tab, driven through the DevTools protocol."""

    def __init__(self):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            sys.exit("make screenshots needs Chromium: apt-get install chromium")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.profile = tempfile.mkdtemp(prefix="crm-screens-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(100):
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
                page = next(target for target in targets if target["type"] == "page")
                break
            except (requests.RequestException, StopIteration):
                time.sleep(0.2)
        else:
            sys.exit("Chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120)
        self.counter = 0

    def call(self, method, **params):
        self.counter += 1
        self.ws.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.counter:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def shoot(self, url, session, path, size, settle, click=None):
        host = url.split("//", 1)[1].split(":")[0]
        self.call("Network.enable")
        self.call("Network.clearBrowserCookies")
        self.call(
            "Network.setCookie",
            name="session_id",
            value=session.cookies["session_id"],
            domain=host,
            path="/",
        )
        width, height = size
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        self.call("Page.enable")
        self.call("Page.navigate", url=f"{url}{path}")
        self.wait_until(READY_BACKEND if path.startswith("/odoo") else READY_PORTAL)
        if click:
            self.call("Runtime.evaluate", expression=f"document.querySelector({click!r})?.click()")
        time.sleep(settle)
        shot = self.call("Page.captureScreenshot", format="png")
        return base64.b64decode(shot["data"])

    def wait_until(self, expression, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
            if result.get("result", {}).get("value"):
                return
            time.sleep(0.5)

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def screens(admin, url):
    """(file, login, path, size[, selector to click]) of each screen; a screen whose
    record the demo lacks is left out."""
    upload = search_first(admin, url, "crm.registration.upload", [], order="id desc")
    registration = search_first(
        admin,
        url,
        "crm.deal.registration",
        [("state", "=", "submitted"), ("match_ids", "!=", False)],
        order="id",
    )
    # the salesperson's opportunity with product lines (the readiness panel); the
    # administrator's when the demo gives the salesperson none
    lead_user = "sales"
    opportunity = [("type", "=", "opportunity"), ("line_ids", "!=", False)]
    lead = search_first(admin, url, "crm.lead", [*opportunity, ("user_id.login", "=", "sales")])
    if not lead:
        lead_user, lead = "admin", search_first(admin, url, "crm.lead", opportunity)
    yield "portal-home.png", "dist_gd", "/my", DESKTOP
    yield "portal-home-phone.png", "dist_gd", "/my", PHONE
    yield "portal-registrations.png", "dist_gd", "/my/registrations", DESKTOP
    yield "portal-registration-new.png", "dist_gd", "/my/registrations/new", DESKTOP
    yield "portal-registration-new-phone.png", "dist_gd", "/my/registrations/new", PHONE
    if upload:
        yield "portal-upload-triage.png", "dist_gd", f"/my/registrations/upload/{upload}", DESKTOP
    yield (
        "registrations-kanban.png",
        "channel",
        "/odoo/action-crm_distributor.crm_deal_registration_action",
        DESKTOP,
    )
    review = "/odoo/action-crm_distributor.crm_deal_registration_action_review"
    if registration:
        review += f"/{registration}"
    yield "conflict-review.png", "channel", review, DESKTOP
    if lead:
        yield (
            "opportunity-readiness.png",
            lead_user,
            f"/odoo/action-crm.crm_lead_action_pipeline/{lead}",
            DESKTOP,
            '.o_notebook a.nav-link[name="readiness"]',
        )
    yield (
        "channel-analytics.png",
        "admin",
        "/odoo/action-crm_analytics_ext.crm_analytics_customer_action",
        DESKTOP,
    )


def main(url, db, out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    admin = login(url, db, "admin")
    sessions = {}
    browser = Browser()
    settle = float(os.environ.get("SCREENSHOT_SETTLE", "2"))
    try:
        only = set(filter(None, os.environ.get("SCREENSHOT_ONLY", "").split(",")))
        for name, user, path, size, *click in screens(admin, url):
            if only and name not in only:
                continue
            if user not in sessions:
                sessions[user] = admin if user == "admin" else login(url, db, user)
            png = browser.shoot(url, sessions[user], path, size, settle, *click)
            (out / name).write_bytes(png)
            print(f"{name:<36} {user:<8} {path}")  # noqa: T201 - the script's report
    finally:
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
