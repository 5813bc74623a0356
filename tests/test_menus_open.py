"""Every menu of the suite opens for every group that sees it (issue 13).

For each menu item of the suite's addons (found through ir.model.data, so menus
added later are covered) that has a window action, and for each role (a
least-privileged user per group of the suite, plus the sales and portal roles), when
the menu is visible to that user, this does what the web client does when the menu is
clicked, as that user: load the action's views (`get_views`), then for every view type
of the action run the default request of that view (list, kanban and calendar:
`web_search_read` with the view's fields and the action's default filters, grouped
kanban: `web_read_group`; pivot and graph: `read_group` with the view's rows and
measures; form: `onchange` for a new record when the user may create, `web_read` of the
first record otherwise). Any exception (AccessError first of all) fails the test, with
the list of every (user, menu, view) that failed.
"""

from pathlib import Path

from lxml import etree

from odoo import fields
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time

from odoo.addons.mail.tests.common import mail_new_test_user

REPO = Path(__file__).resolve().parent.parent
REPO_ADDONS = sorted(manifest.parent.name for manifest in REPO.glob("*/__manifest__.py"))
# Stock roles the suite's menus are meant for, besides the suite's own groups.
BASE_ROLES = (
    "sales_team.group_sale_salesman",
    "sales_team.group_sale_salesman_all_leads",
    "sales_team.group_sale_manager",
    "base.group_portal",
)
LIST_LIMIT = 80


def suite_addons(env):
    modules = env["ir.module.module"].search(
        [("name", "in", REPO_ADDONS), ("state", "=", "installed")]
    )
    return modules.mapped("name")


def suite_records(env, model):
    """Records of `model` defined in the suite's addons (menus, groups)."""
    data = env["ir.model.data"].search([("module", "in", suite_addons(env)), ("model", "=", model)])
    return env[model].browse(data.mapped("res_id")).exists()


def role_users(env):
    """One least-privileged user per role: {xml id of the group: user}."""
    groups = {
        group.get_external_id()[group.id]: group for group in suite_records(env, "res.groups")
    }
    for xmlid in BASE_ROLES:
        groups[xmlid] = env.ref(xmlid)
    users = {}
    for xmlid, group in sorted(groups.items()):
        login = "menu_" + xmlid.replace(".", "_")
        if xmlid == "base.group_portal":
            users[xmlid] = mail_new_test_user(env, login=login, groups="base.group_portal")
            continue
        user = mail_new_test_user(env, login=login, groups="base.group_user")
        user.groups_id = [Command.link(group.id)]
        users[xmlid] = user
    return users


def eval_context(user):
    today = fields.Date.context_today(user)
    return {
        "uid": user.id,
        "user": user,
        "allowed_company_ids": user.company_ids.ids,
        "company_ids": user.company_ids.ids,
        "active_id": False,
        "active_ids": [],
        "active_model": False,
        "context_today": lambda: today,
        "current_date": fields.Date.to_string(today),
        "datetime": datetime,
        "relativedelta": dateutil.relativedelta.relativedelta,
        "time": time,
    }


def field_spec(node, model_fields, all_models):
    """The web client's read specification for the fields of a view arch."""
    spec = {}
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag != "field":
            spec.update(field_spec(child, model_fields, all_models))
            continue
        name = child.get("name")
        info = model_fields.get(name)
        if not info:
            continue
        if info["type"] == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif info["type"] in ("one2many", "many2many"):
            sub_fields = all_models.get(info["relation"], {}).get("fields", {})
            sub_spec = {}
            for sub_view in child:
                if isinstance(sub_view.tag, str) and sub_view.tag in ("list", "kanban", "form"):
                    sub_spec.update(field_spec(sub_view, sub_fields, all_models))
            spec[name] = {"fields": sub_spec or {"display_name": {}}}
        else:
            spec.setdefault(name, {})
    return spec


def default_search(search_arch, context, evaluation):
    """Domain and group-by of the action's `search_default_*` filters."""
    domain, group_by = [], []
    if search_arch is None:
        return domain, group_by
    for key, value in context.items():
        if not key.startswith("search_default_") or not value:
            continue
        name = key[len("search_default_") :]
        for node in search_arch.iter("filter", "field"):
            if node.get("name") != name:
                continue
            if node.tag == "filter":
                if node.get("domain"):
                    domain += safe_eval(node.get("domain"), evaluation)
                if node.get("context"):
                    group = safe_eval(node.get("context"), evaluation).get("group_by")
                    if group:
                        group_by += [group] if isinstance(group, str) else list(group)
            elif node.get("filter_domain"):
                domain += safe_eval(node.get("filter_domain"), {**evaluation, "self": value})
            else:
                domain.append((name, "=", value))
            break
    return domain, group_by


@tagged("post_install", "-at_install")
class TestMenusOpen(TransactionCase):
    def test_every_menu_opens_for_every_role_that_sees_it(self):
        menus = suite_records(self.env, "ir.ui.menu").filtered("action")
        self.assertTrue(menus, "the suite has menus with actions")
        users = role_users(self.env)
        failures, opened = [], 0
        for xmlid, user in users.items():
            if user.share:
                # portal users have no back-end menus (they cannot read ir.ui.menu at all)
                continue
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            # the web client shows a menu only when its ancestors are visible too
            # (_visible_menu_ids keeps an action menu whose parent is hidden)
            for menu in menus.filtered(
                lambda menu, visible=visible: all(
                    int(menu_id) in visible for menu_id in menu.parent_path.split("/") if menu_id
                )
            ):
                action = menu.action.sudo()
                if action._name != "ir.actions.act_window":
                    continue
                for view_type, error in self._open(action, user):
                    failures.append(f"{xmlid} | {menu.complete_name} | {view_type}: {error}")
                opened += 1
        self.assertGreater(opened, 0, "no role sees any menu of the suite")
        self.assertFalse(failures, "menus that do not open:\n" + "\n".join(failures))

    def _open(self, action, user):
        """Yield (view type, error) for every view of the action that fails as `user`."""
        evaluation = eval_context(user)
        context = dict(safe_eval(action.context or "{}", evaluation))
        context.setdefault("lang", user.lang)
        context["allowed_company_ids"] = user.company_ids.ids
        domain = safe_eval(action.domain or "[]", evaluation)
        model = self.env[action.res_model].with_user(user).with_context(context)
        view_types = [vtype for vtype in action.view_mode.split(",") if vtype]
        view_ids = dict((vtype, view_id) for view_id, vtype in action.views)
        views = [[view_ids.get(vtype, False), vtype] for vtype in view_types]
        views.append([action.search_view_id.id or False, "search"])
        try:
            with self.env.cr.savepoint():
                loaded = model.get_views(views, {"toolbar": True, "load_filters": True})
        except Exception as error:  # noqa: BLE001 - every failure is reported
            yield "get_views", f"{type(error).__name__}: {error}"
            return
        all_models = loaded["models"]
        model_fields = all_models[action.res_model]["fields"]
        arches = {vtype: etree.fromstring(view["arch"]) for vtype, view in loaded["views"].items()}
        try:
            extra, group_by = default_search(arches.get("search"), context, evaluation)
        except Exception as error:  # noqa: BLE001
            yield "search defaults", f"{type(error).__name__}: {error}"
            return
        domain = list(domain) + extra
        first_id = None
        for vtype in view_types:
            arch = arches.get(vtype)
            if arch is None:
                continue
            try:
                with self.env.cr.savepoint():
                    first_id = self._run_view(
                        model, vtype, arch, domain, group_by, model_fields, all_models, first_id
                    )
            except Exception as error:  # noqa: BLE001
                yield vtype, f"{type(error).__name__}: {error}"

    def _run_view(self, model, vtype, arch, domain, group_by, model_fields, all_models, first_id):
        spec = field_spec(arch, model_fields, all_models)
        if vtype in ("list", "kanban", "calendar"):
            groups = group_by or (
                [arch.get("default_group_by")] if arch.get("default_group_by") else []
            )
            if groups:
                model.web_read_group(domain, ["__count"], groups[:1], limit=LIST_LIMIT)
            result = model.web_search_read(domain, spec, limit=LIST_LIMIT)
            if result["records"] and not first_id:
                first_id = result["records"][0]["id"]
        elif vtype in ("pivot", "graph"):
            measures = [
                node.get("name")
                for node in arch.iter("field")
                if node.get("type") == "measure" and node.get("name") in model_fields
            ]
            rows = [
                node.get("name")
                for node in arch.iter("field")
                if node.get("type") in ("row", "col") and node.get("name") in model_fields
            ]
            model.read_group(domain, [*measures, "__count"], rows or group_by, lazy=False)
        elif vtype == "form":
            if not first_id:
                first = model.search(domain, limit=1)
                first_id = first.id
            if first_id:
                model.browse(first_id).web_read(spec)
            if model.has_access("create"):
                model.onchange({}, [], spec)
        return first_id
