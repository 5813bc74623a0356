"""Load scenario of `make load` (issue 9): distributors on the portal and internal users
in the back office, against a multi-worker server on 127.0.0.1.

Request names starting with "suite:" are the suite's pages; "stock:" names are the
stock-Odoo pages of the same users (portal home, /my/orders, sales orders) measured
in the same run as the baseline. Run through scripts/load.sh, which starts the
server, bounds the run and checks p95 <= 300 ms and 0 errors.

The pages are measured once every user has logged in: the 70 logins (Odoo's
deliberately slow password hash) hold both workers for the first minute, a wave a
real team spreads over its morning. The page statistics are reset when the last
login answers; the logins themselves are written to <csv prefix>_logins.csv, and
report.py prints them and fails on any that failed.

Environment: LOAD_DISTRIBUTORS (50), LOAD_INTERNAL (20), LOAD_DISTRIBUTOR_LOGINS
(dist_gd,dist_zj,dist_sc), LOAD_INTERNAL_LOGINS (sales,channel), LOAD_DB (the database);
passwords equal logins, as in the demo database.
"""

import csv
import itertools
import os
import random
import re
import time
import uuid
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
REGISTRATION_LINK = re.compile(r'href="/my/registrations/(\d+)')
DISTRIBUTOR_LOGINS = itertools.cycle(
    os.environ.get("LOAD_DISTRIBUTOR_LOGINS", "dist_gd,dist_zj,dist_sc").split(",")
)
INTERNAL_LOGINS = itertools.cycle(
    os.environ.get("LOAD_INTERNAL_LOGINS", "sales,channel").split(",")
)


@events.test_start.add_listener
def _only_localhost(environment, **_kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"make load only targets 127.0.0.1, not {environment.host}")


# attempts of a login whose connection dropped before an answer
LOGIN_ATTEMPTS = 3
# (login, milliseconds, error or "") of every user's login, measured apart from the pages
LOGINS = []


def _users_expected(environment):
    return sum(user_class.fixed_count for user_class in environment.user_classes)


def _login_done(environment, login, milliseconds, error):
    LOGINS.append((login, milliseconds, error))
    if len(LOGINS) == _users_expected(environment):
        # every user is in: from now on the pages are measured
        environment.runner.stats.reset_all()


@events.quitting.add_listener
def _write_logins(environment, **_kwargs):
    prefix = getattr(environment.parsed_options, "csv_prefix", None)
    if not prefix:
        return
    with open(f"{prefix}_logins.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["login", "ms", "error"])
        writer.writerows(LOGINS)


class OdooUser(HttpUser):
    abstract = True
    # A person reads a page before opening the next one: 5 to 15 s (1 to 3 s
    # made each of the 70 users open a page every 2 s, about 35 requests a
    # second, which no 2-worker server serves, stock pages included).
    wait_time = between(5, 15)
    login_names = None

    def on_start(self):
        # JSON authentication: the session cookie without rendering the web client's
        # home page (not a page of the scenario, so not measured as one).
        login = next(self.login_names)
        started, error = time.perf_counter(), ""
        for attempt in range(LOGIN_ATTEMPTS):
            with self.client.post(
                "/web/session/authenticate",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"db": os.environ["LOAD_DB"], "login": login, "password": login},
                },
                name="login",
                catch_response=True,
            ) as response:
                body = response.json() if response.status_code == 200 else {}
                if (body.get("result") or {}).get("uid"):
                    break
                if response.status_code == 0 and attempt + 1 < LOGIN_ATTEMPTS:
                    # the connection dropped before an answer (a browser
                    # retries): counted once, as the failure of the last attempt
                    response.success()
                    continue
                error = f"login {login} failed: {body.get('error') or response.status_code}"
                response.failure(error)
                break
        _login_done(self.environment, login, (time.perf_counter() - started) * 1000, error)
        self.login = login

    def get_page(self, url, name, must_contain=None):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/web/login" in response.url:
                response.failure("redirected to the login page")
            elif must_contain and must_contain not in response.text:
                response.failure(f"{must_contain!r} missing")
            return response

    def call_kw(self, model, method, name, args=(), kwargs=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": kwargs or {},
            },
        }
        with self.client.post(
            f"/web/dataset/call_kw/{model}/{method}", json=payload, name=name, catch_response=True
        ) as response:
            body = response.json() if response.status_code == 200 else {}
            if response.status_code != 200 or "error" in body:
                message = body.get("error", {}).get("data", {}).get("message", response.status_code)
                response.failure(f"{model}.{method}: {message}")
            return body.get("result")


class DistributorUser(OdooUser):
    """A distributor's portal user: registrations list and detail, a new registration,
    the upload page; the stock portal pages as the baseline."""

    fixed_count = int(os.environ.get("LOAD_DISTRIBUTORS", "50"))
    login_names = DISTRIBUTOR_LOGINS
    registration_ids = ()

    @task(4)
    def registrations_list(self):
        response = self.get_page("/my/registrations", "suite: /my/registrations")
        self.registration_ids = REGISTRATION_LINK.findall(response.text) or self.registration_ids

    @task(4)
    def registration_detail(self):
        if self.registration_ids:
            registration_id = random.choice(self.registration_ids)
            self.get_page(f"/my/registrations/{registration_id}", "suite: /my/registrations/<id>")

    @task(1)
    def new_registration(self):
        form = self.get_page("/my/registrations/new", "suite: /my/registrations/new (form)")
        token = CSRF.search(form.text)
        marker = uuid.uuid4().hex[:8]
        with self.client.post(
            "/my/registrations/new",
            data={
                "csrf_token": token.group(1) if token else "",
                "partner_name": f"压力测试客户{marker}有限公司",
                "contact_name": "测试联系人",
                "email_from": f"load-{marker}@load-test.example.com",
                "expected_revenue": "10000",
            },
            name="suite: /my/registrations/new (submit)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or not re.search(r"/my/registrations/\d+", response.url):
                response.failure(f"not created (HTTP {response.status_code}, {response.url})")

    @task(2)
    def upload_page(self):
        self.get_page("/my/registrations/upload", "suite: /my/registrations/upload")

    @task(3)
    def portal_home(self):
        self.get_page("/my", "stock: /my (portal home)")

    @task(3)
    def my_orders(self):
        self.get_page("/my/orders", "stock: /my/orders")


class InternalUser(OdooUser):
    """A salesperson or channel manager in the back office: the pipeline, the
    registrations and the conflict review; stock sales orders as the baseline."""

    fixed_count = int(os.environ.get("LOAD_INTERNAL", "20"))
    login_names = INTERNAL_LOGINS

    @task(4)
    def pipeline(self):
        self.call_kw(
            "crm.lead",
            "web_read_group",
            "suite: pipeline (crm.lead kanban groups)",
            args=[[("type", "=", "opportunity")], ["expected_revenue:sum"], ["stage_id"]],
        )
        self.call_kw(
            "crm.lead",
            "web_search_read",
            "suite: pipeline (crm.lead kanban cards)",
            kwargs={
                "domain": [("type", "=", "opportunity")],
                "specification": {
                    "name": {},
                    "partner_id": {"fields": {"display_name": {}}},
                    "expected_revenue": {},
                    "stage_id": {"fields": {"display_name": {}}},
                    "user_id": {"fields": {"display_name": {}}},
                },
                "limit": 80,
            },
        )

    @task(3)
    def registrations(self):
        result = self.call_kw(
            "crm.deal.registration",
            "web_search_read",
            "suite: registrations list",
            kwargs={
                "domain": [],
                "specification": {
                    "partner_name": {},
                    "distributor_id": {"fields": {"display_name": {}}},
                    "state": {},
                    "expected_revenue": {},
                },
                "limit": 80,
            },
        )
        records = (result or {}).get("records") or []
        if records:
            self.call_kw(
                "crm.deal.registration",
                "web_read",
                "suite: registration form",
                args=[[random.choice(records)["id"]]],
                kwargs={"specification": {"partner_name": {}, "state": {}, "line_ids": {}}},
            )

    @task(3)
    def sale_orders(self):
        self.call_kw(
            "sale.order",
            "web_search_read",
            "stock: sales orders list",
            kwargs={
                "domain": [],
                "specification": {
                    "name": {},
                    "partner_id": {"fields": {"display_name": {}}},
                    "amount_total": {},
                    "state": {},
                },
                "limit": 80,
            },
        )
