from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import VAT_ALPHA, VAT_BETA, CrmDistributorCommon


@tagged("post_install", "-at_install")
class TestRegistrationPortal(HttpCase, CrmDistributorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registration_a = cls._create_registration(
            cls.distributor_a, partner_name="甲方门户客户"
        )
        cls.registration_b = cls._create_registration(
            cls.distributor_b, partner_name="乙方门户客户"
        )

    def url_open(self, *args, **kwargs):
        response = super().url_open(*args, **kwargs)
        self.env.invalidate_all()
        return response

    def _form(self, **values):
        data = {
            "csrf_token": self.csrf_token(),
            "partner_name": "门户新客户有限公司",
            "vat": VAT_ALPHA,
            "contact_name": "赵女士",
            "email_from": "zhao@portal-new.example.com",
            "mobile": "+86 139 0000 0000",
            "expected_revenue": "50000",
            "line_product_id_0": str(self.product.id),
            "line_quantity_0": "5",
            "line_price_unit_0": "1000",
            "action": "submit",
        }
        data.update(values)
        return data

    def csrf_token(self):
        # The test session is authenticated; fetch a token from a rendered form.
        response = self.url_open("/my/registrations/new")
        marker = 'name="csrf_token" value="'
        start = response.text.index(marker) + len(marker)
        return response.text[start : response.text.index('"', start)]

    def test_list_shows_only_own_registrations(self):
        self.authenticate("test_portal_a", "test_portal_a")
        response = self.url_open("/my/registrations")
        self.assertEqual(response.status_code, 200)
        self.assertIn("甲方门户客户", response.text)
        self.assertNotIn("乙方门户客户", response.text)
        response = self.url_open("/my/registrations?search=乙方")
        self.assertNotIn("乙方门户客户", response.text)
        response = self.url_open("/my/registrations?filterby=draft")
        self.assertIn("甲方门户客户", response.text)
        response = self.url_open("/my/registrations?filterby=approved")
        self.assertNotIn("甲方门户客户", response.text)

    def test_home_counter(self):
        self.authenticate("test_portal_a", "test_portal_a")
        response = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["registration_count", "end_customer_count"]}
        )
        self.assertEqual(response["registration_count"], 1)
        self.assertEqual(response["end_customer_count"], 0)

    def test_other_distributor_detail_and_edit_are_refused(self):
        self.authenticate("test_portal_a", "test_portal_a")
        url = f"/my/registrations/{self.registration_b.id}"
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith("/my"))
        response = self.url_open(
            url, data=self._form(partner_name="hijacked"), allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(self.registration_b.partner_name, "乙方门户客户")
        response = self.url_open(f"/my/registrations/{self.registration_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("甲方门户客户", response.text)

    def test_access_token_of_another_distributor_does_not_allow_edits(self):
        """A shared access token shows the registration; only its own
        distributor's users may change it."""
        token = self.registration_a._portal_ensure_token()
        self.authenticate("test_portal_b", "test_portal_b")
        url = f"/my/registrations/{self.registration_a.id}?access_token={token}"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_registration_form", response.text)
        response = self.url_open(
            url, data=self._form(partner_name="hijacked", action="save"), allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(self.registration_a.partner_name, "甲方门户客户")
        self.assertEqual(self.registration_a.state, "draft")

    def test_form_ignores_fields_the_distributor_must_not_set(self):
        self.authenticate("test_portal_a", "test_portal_a")
        forged = {
            "state": "approved",
            "distributor_id": str(self.distributor_b.id),
            "partner_id": str(self.distributor_b.id),
            "protection_end_date": "2099-12-31",
            "is_conflict": "1",
            "action": "save",
        }
        self.url_open("/my/registrations/new", data=self._form(**forged))
        created = self.env["crm.deal.registration"].search(
            [("partner_name", "=", "门户新客户有限公司")]
        )
        self.assertEqual(created.distributor_id, self.distributor_a)
        self.assertEqual(created.state, "draft")
        self.assertFalse(created.partner_id)
        self.assertFalse(created.protection_end_date)
        self.url_open(
            f"/my/registrations/{self.registration_a.id}",
            data=self._form(partner_name="甲方门户客户", **forged),
        )
        self.assertEqual(self.registration_a.distributor_id, self.distributor_a)
        self.assertEqual(self.registration_a.state, "draft")
        self.assertFalse(self.registration_a.partner_id)
        self.assertFalse(self.registration_a.protection_end_date)

    def test_bad_input_keeps_values_and_writes_nothing(self):
        self.authenticate("test_portal_a", "test_portal_a")
        count = self.env["crm.deal.registration"].search_count([])
        response = self.url_open(
            "/my/registrations/new",
            data=self._form(
                partner_name="", vat="913301001234567890", mobile="12", email_from="zhao@"
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("End Customer is required.", response.text)
        self.assertIn("is not a valid unified social credit code", response.text)
        self.assertIn("is not a valid phone number", response.text)
        self.assertIn("is not a valid e-mail address", response.text)
        self.assertIn('value="赵女士"', response.text, "what was typed is kept")
        self.assertIn('value="913301001234567890"', response.text)
        self.assertEqual(self.env["crm.deal.registration"].search_count([]), count)

    def test_new_registration_is_created_and_submitted(self):
        self.authenticate("test_portal_a", "test_portal_a")
        response = self.url_open("/my/registrations/new", data=self._form())
        self.assertEqual(response.status_code, 200)
        registration = self.env["crm.deal.registration"].search(
            [("partner_name", "=", "门户新客户有限公司")]
        )
        self.assertEqual(registration.distributor_id, self.distributor_a)
        self.assertEqual(registration.state, "submitted")
        self.assertEqual(registration.line_ids.quantity, 5)
        self.assertIn(registration.name, response.text)

    def test_edit_returned_registration(self):
        self.registration_a.action_submit()
        self.registration_a.action_return(reason="Add the credit code")
        self.authenticate("test_portal_a", "test_portal_a")
        response = self.url_open(
            f"/my/registrations/{self.registration_a.id}",
            data=self._form(partner_name="甲方门户客户", vat=VAT_BETA, action="save"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.registration_a.vat, VAT_BETA)
        self.assertEqual(self.registration_a.state, "returned")

    def test_conflict_is_told_without_the_holder(self):
        self.registration_b.write({"vat": VAT_ALPHA})
        self.registration_b.action_submit()
        self.registration_b.action_approve()
        self.authenticate("test_portal_a", "test_portal_a")
        response = self.url_open("/my/registrations/new", data=self._form())
        self.assertIn("Already protected for another partner.", response.text)
        self.assertNotIn(self.distributor_b.name, response.text)
        self.assertNotIn(self.registration_b.name, response.text)

    def test_refused_submit_is_told_once_on_the_saved_draft(self):
        self.registration_a.action_submit()
        self.tier.max_open_registrations = 1
        self.authenticate("test_portal_a", "test_portal_a")
        response = self.url_open("/my/registrations/new", data=self._form())
        registration = self.env["crm.deal.registration"].search(
            [("partner_name", "=", "门户新客户有限公司")]
        )
        self.assertEqual(registration.state, "draft", "saved, not submitted")
        self.assertTrue(response.url.endswith(f"/my/registrations/{registration.id}"))
        self.assertIn("o_registration_error", response.text)
        self.assertIn("allows 1 open registrations", response.text)
        # kept in the session, not in the URL: shown once
        again = self.url_open(response.url)
        self.assertNotIn("o_registration_error", again.text)

    def test_page_ignores_error_text_in_the_url(self):
        self.authenticate("test_portal_a", "test_portal_a")
        response = self.url_open(
            f"/my/registrations/{self.registration_a.id}?error=Call+0800-FAKE+now"
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_registration_error", response.text)
        self.assertNotIn("Call 0800-FAKE now", response.text)

    def test_end_customers_and_sell_out(self):
        self.registration_a.write({"vat": VAT_ALPHA})
        self.registration_b.write({"vat": VAT_BETA})
        (self.registration_a | self.registration_b).action_submit()
        (self.registration_a | self.registration_b).action_approve()
        self.authenticate("test_portal_a", "test_portal_a")
        response = self.url_open("/my/end-customers")
        self.assertIn("甲方门户客户", response.text)
        self.assertNotIn("乙方门户客户", response.text)
        token = self.csrf_token()
        forged = self.url_open(
            "/my/sell-out/new",
            data={
                "csrf_token": token,
                "partner_id": str(self.registration_b.partner_id.id),
                "product_id": str(self.product.id),
                "quantity": "1",
            },
        )
        self.assertIn("Choose a value from the list.", forged.text)
        self.assertFalse(
            self.env["crm.sell.out"].search([("distributor_id", "=", self.distributor_a.id)])
        )
        self.url_open(
            "/my/sell-out/new",
            data={
                "csrf_token": token,
                "partner_id": str(self.registration_a.partner_id.id),
                "product_id": str(self.product.id),
                "quantity": "3",
                "serial_numbers": "SN-1\nSN-2\nSN-3",
                "date": "2026-01-15",
            },
        )
        sell_out = self.env["crm.sell.out"].search([("distributor_id", "=", self.distributor_a.id)])
        self.assertEqual(sell_out.partner_id, self.registration_a.partner_id)
        self.assertEqual(sell_out.quantity, 3)
        self.assertEqual(sell_out.registration_id, self.registration_a)
        response = self.url_open("/my/end-customers")
        self.assertIn("SN-1", response.text)

    def test_customer_linked_during_review_is_not_an_end_customer_yet(self):
        """The channel manager may link a submitted registration to an existing
        partner (another distributor's customer) while reviewing it: until it is
        approved, that partner is neither shown to the distributor nor open to
        its sell-out reports."""
        self.registration_b.write({"vat": VAT_BETA})
        self.registration_b.action_submit()
        self.registration_b.action_approve()
        customer_b = self.registration_b.partner_id
        self.registration_a.action_submit()
        self.registration_a.write({"partner_id": customer_b.id, "customer_choice": "link"})
        self.authenticate("test_portal_a", "test_portal_a")
        response = self.url_open("/my/end-customers")
        self.assertNotIn(customer_b.name, response.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["end_customer_count"]})
        self.assertEqual(counters["end_customer_count"], 0)
        response = self.url_open(
            "/my/sell-out/new",
            data={
                "csrf_token": self.csrf_token(),
                "partner_id": str(customer_b.id),
                "product_id": str(self.product.id),
                "quantity": "1",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("once one of your registrations is approved", response.text)
        self.assertFalse(
            self.env["crm.sell.out"].search([("distributor_id", "=", self.distributor_a.id)])
        )


@tagged("post_install", "-at_install")
class TestEndCustomerListInDatabase(HttpCase, CrmDistributorCommon):
    """/my/end-customers pages and counts in the database: the number of
    queries of a page does not grow with the number of end customers."""

    @classmethod
    def _make_end_customers(cls, distributor, count, prefix):
        partners = cls.env["res.partner"].create(
            [
                {"name": f"{prefix} {index:03d}", "is_company": True, "is_end_customer": True}
                for index in range(count)
            ]
        )
        registrations = cls.env["crm.deal.registration"].create(
            [
                {"distributor_id": distributor.id, "partner_name": partner.name}
                for partner in partners
            ]
        )
        cls.env.flush_all()
        # Approved end customers without going through matching and approval
        # one by one: only the list is under test here.
        for registration, partner in zip(registrations, partners, strict=True):
            cls.env.cr.execute(
                SQL(
                    "UPDATE crm_deal_registration SET state = 'converted', partner_id = %s "
                    "WHERE id = %s",
                    partner.id,
                    registration.id,
                )
            )
        cls.env.invalidate_all()
        return partners

    def _page_queries(self, url):
        self.url_open(url)  # warm the caches (templates, ACLs)
        self.env.flush_all()
        start = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - start, response

    def test_page_and_count_in_the_database(self):
        self._make_end_customers(self.distributor_a, 3, "少量客户")
        self.authenticate("test_portal_a", "test_portal_a")
        few, response = self._page_queries("/my/end-customers")
        self.assertIn("少量客户 002", response.text)
        self._make_end_customers(self.distributor_a, 90, "大量客户")
        self._make_end_customers(self.distributor_b, 5, "乙方客户")
        many, response = self._page_queries("/my/end-customers")
        self.assertEqual(many, few, "one page costs the same whatever the number of customers")
        self.assertNotIn("乙方客户", response.text)
        last, response = self._page_queries("/my/end-customers/page/2")
        self.assertEqual(last, few)
        self.assertIn("少量客户 002", response.text, "sorted by name: page 2 holds 少量")
        self.assertNotIn("大量客户 000", response.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["end_customer_count"]})
        self.assertEqual(counters["end_customer_count"], 93)
        with self.assertQueryCount(few):
            self.url_open("/my/end-customers")
