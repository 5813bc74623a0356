"""Every portal route of crm_distributor × (owner, another distributor,
anonymous) × (GET, POST), asserted against one declared table; bad input on
every portal form; attachments; audit; language."""

import json
import re
from urllib.parse import urlparse

from odoo.tests import HttpCase, tagged

from .common import VAT_ALPHA, VAT_BETA, CrmDistributorCommon

ROLES = ("owner", "other", "anonymous")
LOGINS = {"owner": "test_portal_a", "other": "test_portal_b"}

# Outcome of each route for (owner GET, owner POST, other GET, other POST,
# anonymous GET, anonymous POST), on the owner's (distributor A's) records:
# "200" page or answer, "redirect" to the owner's own next page, "home" sent
# back to /my, "login" sent to the login page, "404" not found, "405" method
# not allowed. Whatever the outcome, another distributor and the anonymous
# visitor never see A's data and never change it.
EXPECTED = {
    "/my": ("200", "200", "200", "200", "login", "login"),
    "/my/home": ("200", "200", "200", "200", "login", "login"),
    "/my/registrations": ("200", "200", "200", "200", "login", "login"),
    "/my/registrations/page/<int:page>": ("200", "200", "200", "200", "login", "login"),
    "/my/registrations/new": ("200", "200", "200", "200", "login", "login"),
    "/my/registrations/<int:registration_id>": (
        "200",
        "redirect",
        "home",
        "home",
        "login",
        "login",
    ),
    "/my/registrations/check": ("405", "200", "405", "200", "405", "login"),
    "/my/end-customers": ("200", "200", "200", "200", "login", "login"),
    "/my/end-customers/page/<int:page>": ("200", "200", "200", "200", "login", "login"),
    "/my/sell-out/new": ("200", "redirect", "200", "200", "login", "login"),
    # A post without a file is refused as a bad request (400).
    "/my/registrations/upload": ("200", "400", "200", "400", "login", "login"),
    "/my/registrations/upload/template/<string:lang>": (
        "200",
        "200",
        "200",
        "200",
        "login",
        "login",
    ),
    "/my/registrations/upload/<int:upload_id>": ("200", "200", "404", "404", "login", "login"),
    "/my/registrations/upload/<int:upload_id>/page/<int:page>": (
        "200",
        "200",
        "404",
        "404",
        "login",
        "login",
    ),
    "/my/registrations/upload/<int:upload_id>/confirm": (
        "405",
        "redirect",
        "405",
        "404",
        "405",
        "405",
    ),
    "/my/registrations/upload/<int:upload_id>/export": (
        "200",
        "200",
        "404",
        "404",
        "login",
        "login",
    ),
    "/my/registrations/upload/<int:upload_id>/file": (
        "200",
        "200",
        "404",
        "404",
        "login",
        "login",
    ),
}
COLUMNS = [(role, method) for role in ROLES for method in ("GET", "POST")]


class PortalRouteCommon(HttpCase, CrmDistributorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ensure_zh_cn()
        cls.registration_a = cls._create_registration(
            cls.distributor_a, partner_name="甲方矩阵客户有限公司"
        )
        cls.approved_a = cls._create_registration(
            cls.distributor_a, partner_name="蓝海精密机械有限公司", vat=VAT_ALPHA
        )
        cls.approved_a.action_submit()
        cls.approved_a.action_approve()
        cls.end_customer_a = cls.approved_a.partner_id
        cls.approved_b = cls._create_registration(
            cls.distributor_b, partner_name="北辰光电材料有限公司", vat=VAT_BETA
        )
        cls.approved_b.action_submit()
        cls.approved_b.action_approve()
        cls.upload_a = cls.env["crm.registration.upload"].create(
            {"name": "甲方矩阵上传.xlsx", "distributor_id": cls.distributor_a.id}
        )
        # What A's pages show and nobody else may see.
        cls.secrets = ("甲方矩阵客户有限公司", "蓝海精密机械有限公司", "甲方矩阵上传")

    def url_open(self, *args, **kwargs):
        response = super().url_open(*args, **kwargs)
        self.env.invalidate_all()
        return response

    def _login(self, role):
        if role == "anonymous":
            self.logout()
        else:
            self.authenticate(LOGINS[role], LOGINS[role])

    def _fetch_csrf(self):
        response = self.url_open("/my/registrations/new")
        marker = 'name="csrf_token" value="'
        if marker not in response.text:
            return ""
        start = response.text.index(marker) + len(marker)
        return response.text[start : response.text.index('"', start)]

    def _snapshot(self):
        Registration = self.env["crm.deal.registration"]
        return (
            self.registration_a.read(["partner_name", "state", "expected_revenue", "vat"]),
            Registration.search_count([]),
            self.env["crm.sell.out"].search_count([]),
            self.env["crm.registration.upload"].search_count([]),
            self.env["ir.attachment"].search_count([("res_model", "=", Registration._name)]),
        )

    def _registration_post(self, **values):
        data = {
            "partner_name": "甲方矩阵客户有限公司",
            "contact_name": "王先生",
            "mobile": "+86 138 0013 7001",
            "expected_revenue": "1000",
            "action": "save",
        }
        data.update(values)
        return data


@tagged("post_install", "-at_install")
class TestPortalRouteMatrix(PortalRouteCommon):
    def _route_urls(self):
        return {
            "/my": "/my",
            "/my/home": "/my/home",
            "/my/registrations": "/my/registrations",
            "/my/registrations/page/<int:page>": "/my/registrations/page/1",
            "/my/registrations/new": "/my/registrations/new",
            "/my/registrations/<int:registration_id>": (
                f"/my/registrations/{self.registration_a.id}"
            ),
            "/my/registrations/check": "/my/registrations/check",
            "/my/end-customers": "/my/end-customers",
            "/my/end-customers/page/<int:page>": "/my/end-customers/page/1",
            "/my/sell-out/new": "/my/sell-out/new",
            "/my/registrations/upload": "/my/registrations/upload",
            "/my/registrations/upload/template/<string:lang>": (
                "/my/registrations/upload/template/zh_CN"
            ),
            "/my/registrations/upload/<int:upload_id>": (
                f"/my/registrations/upload/{self.upload_a.id}"
            ),
            "/my/registrations/upload/<int:upload_id>/page/<int:page>": (
                f"/my/registrations/upload/{self.upload_a.id}/page/1"
            ),
            "/my/registrations/upload/<int:upload_id>/confirm": (
                f"/my/registrations/upload/{self.upload_a.id}/confirm"
            ),
            "/my/registrations/upload/<int:upload_id>/export": (
                f"/my/registrations/upload/{self.upload_a.id}/export"
            ),
            "/my/registrations/upload/<int:upload_id>/file": (
                f"/my/registrations/upload/{self.upload_a.id}/file"
            ),
        }

    def _post_data(self, rule):
        if rule == "/my/registrations/<int:registration_id>":
            return self._registration_post(partner_name="矩阵改名有限公司")
        if rule == "/my/registrations/new":
            return self._registration_post(partner_name="")  # refused: nothing written
        if rule == "/my/sell-out/new":
            return {
                "partner_id": str(self.end_customer_a.id),
                "product_id": str(self.product.id),
                "quantity": "2",
            }
        return {}

    def _route_outcome(self, response, json_route=False):
        if response.status_code in (301, 302, 303, 307, 308):
            location = urlparse(response.headers.get("Location", ""))
            if location.path.startswith("/web/login"):
                return "login"
            if location.path in ("/my", "/my/home"):
                return "home"
            return "redirect"
        if json_route and response.status_code == 200:
            body = response.json()
            if "error" in body:
                name = body["error"].get("data", {}).get("name", "")
                return "login" if "SessionExpired" in name else f"error {name}"
        return str(response.status_code)

    def _call(self, role, method, rule, url):
        json_route = rule == "/my/registrations/check"
        if method == "GET":
            return self._route_outcome(self.url_open(url, allow_redirects=False), json_route)
        if json_route:
            response = self.url_open(
                url,
                data=json.dumps(
                    {"jsonrpc": "2.0", "method": "call", "params": {"partner_name": "甲方矩阵"}}
                ),
                headers={"Content-Type": "application/json"},
                allow_redirects=False,
            )
            return self._route_outcome(response, json_route)
        data = dict(self._post_data(rule))
        if role != "anonymous":
            data["csrf_token"] = self._fetch_csrf()
        return self._route_outcome(self.url_open(url, data=data, allow_redirects=False))

    def test_every_route_is_declared(self):
        """The table covers every http route the addon's controllers define."""
        rules = set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            endpoint = getattr(rule.endpoint, "original_endpoint", rule.endpoint)
            module = getattr(endpoint, "__module__", "") or ""
            if module.startswith("odoo.addons.crm_distributor.controllers"):
                rules.add(rule.rule)
        self.assertEqual(rules, set(EXPECTED))

    def test_route_matrix(self):
        urls = self._route_urls()
        # Other roles first: their calls must leave A's data as it was.
        for rule, expected in EXPECTED.items():
            url = urls[rule]
            for column, (role, method) in enumerate(COLUMNS):
                if role == "owner":
                    continue
                with self.subTest(rule=rule, role=role, method=method):
                    self._login(role)
                    before = self._snapshot()
                    if method == "GET":
                        response = self.url_open(url)
                        for secret in self.secrets:
                            self.assertNotIn(secret, response.text, "no data of A shown")
                    outcome = self._call(role, method, rule, url)
                    self.assertEqual(outcome, expected[column])
                    self.assertEqual(self._snapshot(), before, "nothing of A written")
        for rule, expected in EXPECTED.items():
            url = urls[rule]
            for column, (role, method) in enumerate(COLUMNS):
                if role != "owner":
                    continue
                with self.subTest(rule=rule, role=role, method=method):
                    self._login(role)
                    self.assertEqual(self._call(role, method, rule, url), expected[column])
        # The owner's posts did what they say.
        self.assertEqual(self.registration_a.partner_name, "矩阵改名有限公司")
        self.assertEqual(
            self.env["crm.sell.out"]
            .search([("distributor_id", "=", self.distributor_a.id)])
            .quantity,
            2,
        )


@tagged("post_install", "-at_install")
class TestPortalHostileInput(PortalRouteCommon):
    """Bad numbers, dates and lengths: a clear message beside the field, no
    HTTP 500, nothing written."""

    def _post_registration(self, url, **values):
        data = self._registration_post(**values)
        data["csrf_token"] = self._fetch_csrf()
        return self.url_open(url, data=data)

    def test_registration_form_numbers_dates_and_lengths(self):
        self.authenticate("test_portal_a", "test_portal_a")
        cases = [
            ({"expected_revenue": value}, "expected_revenue", "is not a finite number")
            for value in ("nan", "inf", "-inf", "1e309", "NaN")
        ] + [
            ({"expected_revenue": "abc"}, "expected_revenue", "abc is not a number"),
            ({"expected_revenue": "-5"}, "expected_revenue", "cannot be negative"),
            ({"expected_revenue": "1e13"}, "expected_revenue", "is too large"),
            ({"date_deadline": "1900-01-01"}, "date_deadline", "dates before 2000-01-01"),
            ({"date_deadline": "9999-12-31"}, "date_deadline", "too far in the future"),
            ({"date_deadline": "2026-02-30"}, "date_deadline", "is not a date"),
            ({"partner_name": "(" * 8000}, "partner_name", "8000 characters, at most 200"),
            ({"partner_name": "a中" * 4000}, "partner_name", "8000 characters, at most 200"),
            ({"street": "x" * 201}, "street", "201 characters, at most 200"),
            ({"description": "x" * 5001}, "description", "5001 characters, at most 5000"),
            (
                {"email_from": "a" * 250 + "@example.com"},
                "email_from",
                "262 characters, at most 254",
            ),
            (
                {
                    "line_product_id_0": str(self.product.id),
                    "line_quantity_0": "nan",
                    "line_price_unit_0": "10",
                },
                "line_product_id_0",
                "nan is not a finite number",
            ),
            (
                {
                    "line_product_id_0": str(self.product.id),
                    "line_quantity_0": "1",
                    "line_price_unit_0": "-10",
                },
                "line_product_id_0",
                "cannot be negative",
            ),
            (
                {
                    "line_product_id_0": str(self.product.id),
                    "line_quantity_0": "0",
                    "line_price_unit_0": "10",
                },
                "line_product_id_0",
                "must be greater than zero",
            ),
            (
                {
                    "line_product_id_0": "99999999999999999999",
                    "line_quantity_0": "1",
                },
                "line_product_id_0",
                "Choose a product",
            ),
            ({"state_id": "99999999999999999999"}, "state_id", "Choose a value"),
        ]
        for url in ("/my/registrations/new", f"/my/registrations/{self.registration_a.id}"):
            for values, field, message in cases:
                with self.subTest(url=url, field=field, values=str(values)[:60]):
                    before = self._snapshot()
                    response = self._post_registration(url, action="submit", **values)
                    self.assertEqual(response.status_code, 200)
                    self.assertIn(message, response.text)
                    # the message sits beside its field: the field is marked invalid
                    marker = f'name="{field}"'
                    self.assertIn(marker, response.text)
                    tag_start = response.text.rindex("<", 0, response.text.index(marker))
                    tag = response.text[tag_start : response.text.index(">", tag_start)]
                    self.assertIn("is-invalid", tag)
                    self.assertEqual(self._snapshot(), before, "nothing written")

    def test_huge_record_id_in_the_url(self):
        self.authenticate("test_portal_a", "test_portal_a")
        response = self.url_open("/my/registrations/99999999999", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))

    def test_sell_out_form_numbers_dates_and_lengths(self):
        self.authenticate("test_portal_a", "test_portal_a")
        base = {
            "partner_id": str(self.end_customer_a.id),
            "product_id": str(self.product.id),
            "quantity": "1",
            "date": "2026-01-15",
        }
        cases = [
            ({"quantity": value}, "quantity", "is not a finite number")
            for value in ("nan", "inf", "-inf", "1e309")
        ] + [
            ({"quantity": "abc"}, "quantity", "abc is not a number"),
            ({"quantity": "-3"}, "quantity", "must be greater than zero"),
            ({"quantity": "1e13"}, "quantity", "is too large"),
            ({"date": "1900-01-01"}, "date", "dates before 2000-01-01"),
            ({"date": "2999-01-01"}, "date", "too far in the future"),
            ({"date": "2026-02-30"}, "date", "is not a date"),
            ({"serial_numbers": "S" * 10001}, "serial_numbers", "10001 characters, at most 10000"),
            ({"partner_id": "99999999999999"}, "partner_id", "Choose a value"),
        ]
        for values, field, message in cases:
            with self.subTest(field=field, values=str(values)[:60]):
                before = self._snapshot()
                data = dict(base, csrf_token=self._fetch_csrf(), **values)
                response = self.url_open("/my/sell-out/new", data=data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                marker = f'name="{field}"'
                tag_start = response.text.rindex("<", 0, response.text.index(marker))
                tag = response.text[tag_start : response.text.index(">", tag_start)]
                self.assertIn("is-invalid", tag)
                self.assertEqual(self._snapshot(), before, "nothing written")

    def test_conflict_check_is_neutral_and_limited(self):
        """The check while typing says only one of two neutral sentences."""
        self.authenticate("test_portal_b", "test_portal_b")

        def check(**params):
            return self.make_jsonrpc_request("/my/registrations/check", params)

        protected = check(partner_name="蓝海精密机械有限公司")
        self.assertEqual(protected["status"], "protected")
        self.assertEqual(set(protected), {"status", "message"})
        self.assertEqual(protected["message"], "Already protected for another partner.")
        by_code = check(partner_name="", vat=VAT_ALPHA)
        self.assertEqual(by_code["status"], "protected")
        # A draft of A (no claim): a match, but nothing said about what it is.
        draft = check(partner_name="甲方矩阵客户有限公司")
        self.assertEqual(
            draft, {"status": "review", "message": "Needs review by your channel manager."}
        )
        nothing = check(partner_name="氪氙氡钫镭锕商行")
        self.assertEqual(nothing, {"status": "none", "message": ""})
        own = check(partner_name="北辰光电材料有限公司")
        self.assertEqual(own["status"], "none", "its own customer is no conflict")
        too_long = check(partner_name="(" * 8000)
        self.assertEqual(too_long["status"], "invalid")
        for text in (str(protected), str(draft)):
            for leak in (
                self.distributor_a.name,
                self.approved_a.name,
                str(self.approved_a.protection_end_date),
                "score",
            ):
                self.assertNotIn(leak, text)
        answers = [check(partner_name=f"限速测试{index}") for index in range(40)]
        self.assertEqual(answers[-1]["status"], "limited")


@tagged("post_install", "-at_install")
class TestPortalAttachmentsAuditLanguage(PortalRouteCommon):
    def test_own_attachment_opens_and_others_do_not(self):
        self.authenticate("test_portal_a", "test_portal_a")
        data = self._registration_post()
        data["csrf_token"] = self._fetch_csrf()
        response = self.url_open(
            f"/my/registrations/{self.registration_a.id}",
            data=data,
            files={"attachments": ("报价单.txt", b"quotation 42", "text/plain")},
        )
        attachment = self.registration_a.attachment_ids
        self.assertEqual(
            len(attachment),
            1,
            re.findall(r"(?:alert-danger|invalid-feedback)[^>]*>([^<]*)", response.text),
        )
        page = self.url_open(f"/my/registrations/{self.registration_a.id}")
        tag = re.search(r"<a [^>]*o_registration_attachment[^>]*>", page.text).group(0)
        link = re.search(r'href="([^"]*)"', tag).group(1).replace("&amp;", "&")
        response = self.url_open(link)
        self.assertEqual(response.status_code, 200, "the owner's link opens (issue 9.8)")
        self.assertEqual(response.content, b"quotation 42", (link, response.text[-1500:]))
        self.authenticate("test_portal_b", "test_portal_b")
        for url in (f"/web/content/{attachment.id}?download=true", link.split("&access_token")[0]):
            response = self.url_open(url)
            self.assertNotEqual(response.status_code, 200)
            self.assertNotIn(b"quotation 42", response.content)
        self.logout()
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertNotIn(b"quotation 42", response.content)

    def test_portal_actions_recorded_as_the_portal_user(self):
        """Registrations and sell-outs made in the portal are recorded as the
        acting portal user, in the fields and in the chatter (issue 9.8)."""
        self.authenticate("test_portal_a", "test_portal_a")
        data = self._registration_post(partner_name="审计测试客户有限公司", action="submit")
        data["csrf_token"] = self._fetch_csrf()
        self.url_open("/my/registrations/new", data=data)
        registration = self.env["crm.deal.registration"].search(
            [("partner_name", "=", "审计测试客户有限公司")]
        )
        self.assertEqual(registration.state, "submitted")
        self.assertEqual(registration.create_uid, self.portal_a)
        self.assertEqual(registration.write_uid, self.portal_a)
        odoobot = self.env.ref("base.partner_root")
        messages = registration.message_ids
        self.assertTrue(messages)
        self.assertNotIn(odoobot, messages.author_id)
        self.assertIn(self.portal_a.partner_id, messages.author_id)
        self.url_open(
            "/my/sell-out/new",
            data={
                "csrf_token": self._fetch_csrf(),
                "partner_id": str(self.end_customer_a.id),
                "product_id": str(self.product.id),
                "quantity": "1",
            },
        )
        sell_out = self.env["crm.sell.out"].search([("distributor_id", "=", self.distributor_a.id)])
        self.assertEqual(sell_out.create_uid, self.portal_a)
        self.assertNotIn(odoobot, sell_out.message_ids.author_id)

    def test_portal_speaks_the_users_language_not_the_browsers(self):
        self.portal_a.lang = "zh_CN"
        self.env.flush_all()
        self.authenticate("test_portal_a", "test_portal_a")
        self.opener.cookies.set("frontend_lang", "en_US")
        response = self.url_open("/my/registrations", headers={"Accept-Language": "en-US,en;q=0.9"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("新建报备", response.text)
