"""Workflow fields and row access, path by path and role by role (issue 9.3).

Each test walks one declared table: the operations a role may do on
distributor A's registrations and what hangs off them, every other role being
refused. ORM calls and JSON-RPC calls are both walked, so a rule held only by
a view or a controller shows up here.
"""

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import VAT_BETA, CrmDistributorCommon

ROLES = (
    "portal_a",
    "portal_b",
    "sales_own",
    "sales_all",
    "channel_manager",
    "channel_manager_b",
)

# Roles: distributor A's and B's portal users, a salesperson following A's
# registrations (own documents), a salesperson with all documents who follows
# none, A's channel manager and B's channel manager.
# operation -> roles allowed; every role not listed must be refused.
ORM_MATRIX = {
    "read registration": {"portal_a", "sales_own", "channel_manager"},
    "write ordinary field": {"sales_own", "channel_manager"},
    "write state": set(),
    "write partner_id": set(),
    "write protection_end_date": set(),
    "write approve_date": set(),
    "write claim keys": set(),
    "write lead_id": set(),
    "write distributor_id": set(),
    "create in a workflow state": set(),
    "action_approve": {"channel_manager"},
    "action_return": {"channel_manager"},
    "action_reject": {"channel_manager"},
    "action_reset_draft": {"channel_manager"},
    "action_link_new_customer": {"channel_manager"},
    "use a matched customer": {"channel_manager"},
    "action_refresh_matches": {"channel_manager"},
    "read lines": {"portal_a", "sales_own", "channel_manager"},
    "write lines": {"channel_manager"},
    "create lines": {"channel_manager"},
    "delete lines": {"channel_manager"},
    "read matches": {"sales_own", "channel_manager"},
    "write matches": set(),
    "read uploads": {"portal_a", "channel_manager"},
    "read upload rows": {"portal_a", "channel_manager"},
}

# JSON-RPC (/web/dataset/call_kw): operation -> roles allowed.
RPC_MATRIX = {
    "write state": set(),
    "write protection_end_date": set(),
    "write claim_vat_key": set(),
    "write lead_id": set(),
    "call action_reset_draft": {"channel_manager"},
    "call action_approve": {"channel_manager"},
}


class WorkflowAccessCommon(CrmDistributorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales_all = mail_new_test_user(
            cls.env,
            login="test_salesman_all",
            name="Test Salesman All Documents",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
        )
        # An existing customer with the same credit code: the registration gets
        # a match row for the conflict review.
        cls.customer = cls.env["res.partner"].create(
            {"name": "测试客户有限公司", "is_company": True, "vat": VAT_BETA}
        )
        cls.submitted = cls._create_registration(cls.distributor_a, vat=VAT_BETA)
        cls.submitted.action_submit()
        cls.draft = cls._create_registration(cls.distributor_a, partner_name="草稿客户有限公司")
        cls.rejected = cls._create_registration(cls.distributor_a, partner_name="拒绝客户有限公司")
        cls.rejected.action_submit()
        cls.rejected.action_reject(reason="Not an end customer")
        cls.approvable = cls._create_registration(
            cls.distributor_a, partner_name="可批准客户有限公司"
        )
        cls.approvable.action_submit()
        (cls.submitted | cls.draft | cls.rejected | cls.approvable).message_subscribe(
            partner_ids=cls.user_sales.partner_id.ids
        )
        cls.upload = cls.env["crm.registration.upload"].create(
            {"name": "registrations.xlsx", "distributor_id": cls.distributor_a.id}
        )
        cls.upload_line = cls.env["crm.registration.upload.line"].create(
            {
                "upload_id": cls.upload.id,
                "kind": "registration",
                "status": "new",
                "partner_name": "上传客户有限公司",
            }
        )
        cls.users = {
            "portal_a": cls.portal_a,
            "portal_b": cls.portal_b,
            "sales_own": cls.user_sales,
            "sales_all": cls.user_sales_all,
            "channel_manager": cls.user_channel,
            "channel_manager_b": cls.user_channel_other,
        }


@tagged("post_install", "-at_install")
class TestWorkflowAccessOrm(WorkflowAccessCommon):
    def _operations(self):
        """operation -> function(env) doing it as the env's user."""
        submitted, draft, rejected = self.submitted, self.draft, self.rejected

        def as_(record, env):
            return record.with_env(env)

        return {
            "read registration": lambda env: as_(submitted, env).read(["partner_name"]),
            "write ordinary field": lambda env: as_(submitted, env).write(
                {"description": "<p>Met the buyer</p>"}
            ),
            "write state": lambda env: as_(submitted, env).write({"state": "converted"}),
            "write partner_id": lambda env: as_(submitted, env).write(
                {"partner_id": self.customer.id}
            ),
            "write protection_end_date": lambda env: as_(submitted, env).write(
                {"protection_end_date": "2099-12-31"}
            ),
            "write approve_date": lambda env: as_(submitted, env).write(
                {"approve_date": "2026-01-01"}
            ),
            "write claim keys": lambda env: as_(submitted, env).write(
                {"claim_name_key": "别人的客户", "claim_vat_key": False}
            ),
            "write lead_id": lambda env: as_(submitted, env).write(
                {"lead_id": env["crm.lead"].sudo().create({"name": "x"}).id}
            ),
            "write distributor_id": lambda env: as_(submitted, env).write(
                {"distributor_id": self.distributor_b.id}
            ),
            "create in a workflow state": lambda env: env["crm.deal.registration"].create(
                {
                    "distributor_id": self.distributor_a.id,
                    "partner_name": "伪造客户有限公司",
                    "state": "converted",
                    "protection_end_date": "2099-12-31",
                }
            ),
            "action_approve": lambda env: as_(self.approvable, env).action_approve(),
            "action_return": lambda env: as_(submitted, env).action_return(reason="Phone"),
            "action_reject": lambda env: as_(submitted, env).action_reject(reason="No"),
            "action_reset_draft": lambda env: as_(rejected, env).action_reset_draft(),
            "action_link_new_customer": lambda env: as_(submitted, env).action_link_new_customer(),
            "use a matched customer": lambda env: as_(
                submitted.match_ids.filtered("partner_id")[:1], env
            ).action_use_partner(),
            "action_refresh_matches": lambda env: as_(submitted, env).action_refresh_matches(),
            "read lines": lambda env: as_(submitted.line_ids, env).read(["quantity"]),
            "write lines": lambda env: as_(draft.line_ids, env).write({"quantity": 9}),
            "create lines": lambda env: env["crm.deal.registration.line"].create(
                {"registration_id": draft.id, "product_id": self.product.id, "quantity": 1}
            ),
            "delete lines": lambda env: as_(draft.line_ids, env).unlink(),
            "read matches": lambda env: as_(submitted.match_ids, env).read(["score"]),
            "write matches": lambda env: as_(submitted.match_ids, env).write({"score": 100}),
            "read uploads": lambda env: as_(self.upload, env).read(["name"]),
            "read upload rows": lambda env: as_(self.upload_line, env).read(["partner_name"]),
        }

    def test_orm_matrix(self):
        self.assertTrue(self.submitted.match_ids, "the fixture has match rows")
        self.assertTrue(self.submitted.match_ids.filtered("partner_id"))
        operations = self._operations()
        self.assertEqual(set(operations), set(ORM_MATRIX), "the table covers every operation")
        failures = []
        for operation, allowed in ORM_MATRIX.items():
            for role in ROLES:
                env = self.env(user=self.users[role])
                savepoint = self.env.cr.savepoint()
                try:
                    with mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"):
                        operations[operation](env)
                        env.flush_all()
                    done = True
                except (AccessError, UserError):
                    done = False
                finally:
                    savepoint.close(rollback=True)
                    self.env.invalidate_all()
                if done != (role in allowed):
                    failures.append(f"{role}: {operation}: {'done' if done else 'refused'}")
        self.assertFalse(failures, "\n".join(failures))
        self.assertEqual(self.submitted.state, "submitted")


@tagged("post_install", "-at_install")
class TestWorkflowAccessRpc(HttpCase, WorkflowAccessCommon):
    LOGINS = {
        "portal_a": "test_portal_a",
        "portal_b": "test_portal_b",
        "sales_own": "test_salesman",
        "sales_all": "test_salesman_all",
        "channel_manager": "test_channel_manager",
        "channel_manager_b": "test_channel_manager_other",
    }

    def _call(self, record, method, args=(), kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{record._name}/{method}",
            {
                "model": record._name,
                "method": method,
                "args": [record.ids, *args],
                "kwargs": kwargs or {},
            },
        )

    def _operations(self):
        return {
            "write state": lambda: self._call(self.submitted, "write", [{"state": "converted"}]),
            "write protection_end_date": lambda: self._call(
                self.submitted, "write", [{"protection_end_date": "2099-12-31"}]
            ),
            "write claim_vat_key": lambda: self._call(
                self.submitted, "write", [{"claim_vat_key": "X"}]
            ),
            "write lead_id": lambda: self._call(
                self.submitted,
                "write",
                [{"lead_id": self.env["crm.lead"].create({"name": "x"}).id}],
            ),
            "call action_reset_draft": lambda: self._call(self.rejected, "action_reset_draft"),
            "call action_approve": lambda: self._call(self.approvable, "action_approve"),
        }

    def test_rpc_matrix(self):
        operations = self._operations()
        self.assertEqual(set(operations), set(RPC_MATRIX))
        failures = []
        for role in ROLES:
            self.authenticate(self.LOGINS[role], self.LOGINS[role])
            for operation, allowed in RPC_MATRIX.items():
                try:
                    with mute_logger("odoo.http", "odoo.models"):
                        operations[operation]()
                    done = True
                except JsonRpcException:
                    done = False
                if done != (role in allowed):
                    failures.append(f"{role}: {operation}: {'done' if done else 'refused'}")
        self.assertFalse(failures, "\n".join(failures))
        self.env.invalidate_all()
        self.assertEqual(self.submitted.state, "submitted")
        self.assertFalse(self.submitted.protection_end_date)
        self.assertEqual(self.approvable.state, "converted", "approved by the channel manager")
        self.assertEqual(self.rejected.state, "draft", "reset by the channel manager")

    def test_line_follows_registration_in_search(self):
        """Salespeople do not even find the lines or match rows of registrations
        they cannot see."""
        hidden = self._create_registration(self.distributor_b, vat=VAT_BETA)
        hidden.action_submit()
        hidden.write({"line_ids": [Command.create({"product_id": self.product.id})]})
        for user in (self.user_sales, self.user_sales_all):
            Line = self.env["crm.deal.registration.line"].with_user(user)
            Match = self.env["crm.deal.registration.match"].with_user(user)
            self.assertFalse(Line.search([("registration_id", "=", hidden.id)]))
            self.assertFalse(Match.search([("registration_id", "=", hidden.id)]))
