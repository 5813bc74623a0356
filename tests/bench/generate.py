"""Fill the benchmark database with realistic Chinese and international data.

    python tests/bench/generate.py -c odoo.conf -d crm_suite_bench --scale small
    python tests/bench/generate.py -d crm_suite_bench --partners 50000 --leads 20000

The four addons must be installed (without demo). Rows are written with
PostgreSQL ``COPY`` straight into the ORM's tables (all NOT NULL columns and
the ORM's defaults, explicit ids, sequences moved past them afterwards), so
1,000,000 partners load in minutes instead of hours through the ORM. Only a
handful of reference records (users, teams, categories) go through the ORM.

What is generated, for ``--partners N``:

- 40 % companies (85 % Chinese: ``深圳市华盛智能装备有限公司``, a third of them with
  an English name in the notes; 15 % American, German, Japanese, ...), about
  0.2 % of the Chinese companies are distributors (``is_distributor``);
- 60 % contacts (children of the companies, Chinese or Western names, mobile
  numbers and e-mails on the company's domain);
- leads/opportunities, products (with serial tracking for machines), sale
  orders and lines (confirmed orders over five years, margins filled),
  deal registrations with lines.
- 30 % of the registrations name an existing company the way a distributor
  types it (exact, short, reordered, traditional characters, English). The
  truth is kept in the plain table ``crm_bench_registration_truth``
  (registration_id, partner_id, variant) for matching benchmarks.

Deterministic: the same seed on the same database gives the same rows; dates
are relative to the day of generation. After the load it calls
``_match_backfill_keys()`` on res.partner, crm.lead and crm.deal.registration
when the matching addon provides it, runs ANALYZE and records the scale in
the system parameter ``crm_bench.scale`` (bench.sh reads it to reuse the data).
"""

import argparse
import io
import json
import logging
import os
import random
import re
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.bench import names  # noqa: E402

_logger = logging.getLogger("crm_bench.generate")

SCALES = {
    "tiny": {"partners": 1_000, "leads": 500, "registrations": 200},
    "small": {"partners": 10_000, "leads": 5_000, "registrations": 2_000},
    # full: the volumes the issues name (1 M partners; for the analytics 1 M
    # orders and about 5 M lines of 50,000 customers over five years)
    "full": {
        "partners": 1_000_000,
        "leads": 500_000,
        "registrations": 200_000,
        "orders": 1_000_000,
        "customers": 50_000,
    },
}
ORDER_YEARS = 5
# lines per order: 5 on average
LINES_PER_ORDER = (1, 2, 3, 4, 5, 5, 6, 7, 8, 9)
ORDER_CHUNK = 20_000
COMPANY_SHARE = 0.4
CHINESE_SHARE = 0.85
DISTRIBUTOR_SHARE = 0.002
COPY_CHUNK = 20_000
BULK_THRESHOLD = 100_000  # from this many partners, indexes are rebuilt after the load
SCALE_PARAM = "crm_bench.scale"
LOADED_TABLES = (
    "res_partner",
    "product_template",
    "product_product",
    "crm_lead",
    "sale_order",
    "sale_order_line",
    "crm_deal_registration",
    "crm_deal_registration_line",
)
TRUTH_TABLE = "crm_bench_registration_truth"

ORDER_COLUMNS = [
    "id",
    "name",
    "company_id",
    "partner_id",
    "partner_invoice_id",
    "partner_shipping_id",
    "date_order",
    "state",
    "user_id",
    "team_id",
    "currency_id",
    "currency_rate",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "invoice_status",
    "picking_policy",
    "warehouse_id",
    "locked",
    "require_signature",
    "require_payment",
    "prepayment_percent",
    "opportunity_id",
    "margin",
    "margin_percent",
    "delivery_status",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
]
LINE_COLUMNS = [
    "id",
    "order_id",
    "sequence",
    "company_id",
    "currency_id",
    "order_partner_id",
    "salesman_id",
    "product_id",
    "product_uom",
    "name",
    "product_uom_qty",
    "price_unit",
    "discount",
    "price_subtotal",
    "price_total",
    "price_tax",
    "price_reduce_taxexcl",
    "price_reduce_taxinc",
    "qty_delivered",
    "qty_delivered_method",
    "qty_invoiced",
    "qty_to_invoice",
    "untaxed_amount_invoiced",
    "untaxed_amount_to_invoice",
    "invoice_status",
    "state",
    "customer_lead",
    "is_downpayment",
    "is_expense",
    "technical_price_unit",
    "purchase_price",
    "margin",
    "margin_percent",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
]


def counts_for(scale=None, **explicit):
    """Row counts for a named scale, overridden by explicit non-empty counts."""
    counts = dict(SCALES[scale or "small"])
    counts.update({key: value for key, value in explicit.items() if value is not None})
    partners = counts["partners"]
    counts.setdefault("products", max(50, min(2_000, partners // 500)))
    counts.setdefault("orders", max(100, partners // 10))
    # a fifth of the companies buy, repeatedly (RFM needs repeat buyers)
    counts.setdefault("customers", max(1, int(partners * COMPANY_SHARE) // 5))
    return counts


def scale_label(counts):
    """The value stored in ``crm_bench.scale``: the counts, stable order."""
    keys = ("partners", "leads", "registrations", "products", "orders", "customers")
    return ",".join(f"{key}={counts[key]}" for key in keys)


# --------------------------------------------------------------------------
# COPY
# --------------------------------------------------------------------------


_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search


def _escape(value):
    if _NEEDS_ESCAPE(value):
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


# COPY text format per Python type; dispatch on the exact type (bool is an int).
_CELL_BY_TYPE = {
    str: _escape,
    int: str,
    float: str,
    bool: lambda value: "t" if value else "f",
    type(None): lambda value: "\\N",
    dict: lambda value: _escape(json.dumps(value, ensure_ascii=False)),
    datetime: lambda value: value.isoformat(" ", "seconds"),
    date: date.isoformat,
}


def _cell(value):
    """One value in PostgreSQL's COPY text format."""
    convert = _CELL_BY_TYPE.get(type(value))
    return convert(value) if convert else _escape(str(value))


def copy_rows(cr, table, columns, rows):
    """Stream ``rows`` (tuples in ``columns`` order) into ``table`` with COPY; the count."""
    from odoo.tools import SQL

    query = SQL(
        "COPY %s (%s) FROM STDIN",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(column) for column in columns),
    )
    width = len(columns)
    buffer, pending, total = io.StringIO(), 0, 0
    for row in rows:
        if len(row) != width:
            raise ValueError(f"{table}: row of {len(row)} values for {width} columns")
        buffer.write("\t".join(map(_cell, row)))
        buffer.write("\n")
        pending += 1
        if pending == COPY_CHUNK:
            buffer.seek(0)
            cr._obj.copy_expert(query.code, buffer)
            total += pending
            buffer, pending = io.StringIO(), 0
    if pending:
        buffer.seek(0)
        cr._obj.copy_expert(query.code, buffer)
        total += pending
    return total


def next_id(cr, table):
    from odoo.tools import SQL

    cr.execute(SQL("SELECT COALESCE(MAX(id), 0) + 1 FROM %s", SQL.identifier(table)))
    return cr.fetchone()[0]


def fix_sequence(cr, table):
    """Move ``<table>_id_seq`` past the ids written by COPY."""
    from odoo.tools import SQL

    cr.execute(
        SQL(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 0) + 1, false) "
            "FROM %s",
            table,
            SQL.identifier(table),
        )
    )


def drop_secondary_indexes(cr, tables):
    """Drop the plain indexes of ``tables``; return their definitions to recreate them.

    Loading a million rows and building each index once afterwards is several
    times faster than maintaining the b-tree and trigram indexes row by row.
    Primary keys, unique indexes and indexes backing a constraint stay.
    """
    from odoo.tools import SQL

    cr.execute(
        """
        SELECT ci.relname, pg_get_indexdef(i.indexrelid)
          FROM pg_index i
          JOIN pg_class ci ON ci.oid = i.indexrelid
          JOIN pg_class ct ON ct.oid = i.indrelid
         WHERE ct.relname = ANY(%s)
           AND ct.relnamespace = current_schema()::text::regnamespace
           AND NOT i.indisprimary AND NOT i.indisunique
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        (list(tables),),
    )
    definitions = cr.fetchall()
    for name, _definition in definitions:
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    return [definition for _name, definition in definitions]


def recreate_indexes(cr, definitions):
    from odoo.tools import SQL

    cr.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for definition in definitions:
        # definitions come from pg_get_indexdef() of the indexes dropped above
        cr.execute(SQL(definition))
    return len(definitions)


def table_columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s",
        (table,),
    )
    return {row[0] for row in cr.fetchall()}


# --------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------

PRODUCT_FAMILIES = [
    # (category zh, category en, product zh, product en, code, price range, serial)
    (
        "工业机器人",
        "Industrial Robots",
        "六轴机器人",
        "Six-axis Robot",
        "RB",
        (85_000, 420_000),
        True,
    ),
    (
        "工业机器人",
        "Industrial Robots",
        "SCARA机器人",
        "SCARA Robot",
        "SC",
        (45_000, 160_000),
        True,
    ),
    ("协作机器人", "Collaborative Robots", "协作机器人", "Cobot", "CB", (68_000, 210_000), True),
    (
        "数控机床",
        "CNC Machines",
        "立式加工中心",
        "Vertical Machining Center",
        "VMC",
        (260_000, 980_000),
        True,
    ),
    ("数控机床", "CNC Machines", "数控车床", "CNC Lathe", "CL", (120_000, 560_000), True),
    (
        "视觉与传感器",
        "Vision and Sensors",
        "工业相机",
        "Industrial Camera",
        "CAM",
        (3_800, 26_000),
        True,
    ),
    (
        "视觉与传感器",
        "Vision and Sensors",
        "激光位移传感器",
        "Laser Displacement Sensor",
        "LS",
        (1_200, 9_800),
        False,
    ),
    ("伺服与驱动", "Servo and Drives", "伺服电机", "Servo Motor", "SM", (1_600, 12_000), False),
    ("伺服与驱动", "Servo and Drives", "伺服驱动器", "Servo Drive", "SD", (2_200, 15_000), False),
    ("备品备件", "Spare Parts", "减速机", "Gear Reducer", "GR", (900, 8_800), False),
    ("备品备件", "Spare Parts", "示教器电缆", "Teach Pendant Cable", "TC", (260, 1_800), False),
]
LEAD_TOPICS = [
    ("产线自动化改造", "production line automation"),
    ("焊接工作站", "welding cell"),
    ("码垛项目", "palletizing project"),
    ("机加工车间扩产", "machining capacity expansion"),
    ("视觉检测升级", "vision inspection upgrade"),
    ("备件年度框架协议", "annual spare parts agreement"),
]
SALES_USERS = [
    ("王建国", "wang.jianguo"),
    ("李敏", "li.min"),
    ("张伟", "zhang.wei"),
    ("刘洋", "liu.yang"),
    ("陈静", "chen.jing"),
    ("杨磊", "yang.lei"),
    ("赵丽", "zhao.li"),
    ("周涛", "zhou.tao"),
    ("Laura Keller", "laura.keller"),
    ("Thomas Weber", "thomas.weber"),
]
TEAMS = [
    ("华南销售部", "South China Sales"),
    ("华东销售部", "East China Sales"),
    ("西南销售部", "Southwest Sales"),
    ("海外销售部", "International Sales"),
]
REGISTRATION_STATES = [
    ("draft", 8),
    ("submitted", 25),
    ("returned", 5),
    ("approved", 30),
    ("rejected", 7),
    ("converted", 20),
    ("expired", 5),
]


class Generator:
    """Writes one data set into the database of ``env`` (see the module docstring)."""

    def __init__(self, env, counts, seed=20261122, log=None):
        self.env = env
        self.cr = env.cr
        self.counts = counts
        self.rng = random.Random(seed)
        self.now = datetime.now().replace(microsecond=0)
        self.log = log or (lambda message: None)
        self.timings = {}

    # -- helpers -----------------------------------------------------------

    def _ago(self, max_days, min_days=0):
        seconds = self.rng.randrange(min_days * 86400, max_days * 86400 + 1)
        return self.now - timedelta(seconds=seconds)

    def _timed(self, label, fn):
        start = time.perf_counter()
        count = fn()
        seconds = time.perf_counter() - start
        self.timings[label] = (count, seconds)
        self.log(f"{label}: {count:,} rows in {seconds:.1f} s")
        return count

    # -- reference data through the ORM (a few records) ---------------------

    def prepare_references(self):
        from odoo import Command

        env = self.env
        self.company = env.ref("base.main_company")
        self.uid = env.ref("base.user_admin").id
        self.currency = self.company.currency_id
        self.uom_unit = env.ref("uom.product_uom_unit").id
        self.countries = {
            code: env.ref(f"base.{code}").id
            for code in {"cn"} | {c[0] for c in names.WESTERN_COUNTRIES}
        }
        self.states = {
            code: env.ref(f"base.state_cn_{code}").id for code in {c[2] for c in names.CN_CITIES}
        }
        self.lang_zh = "zh_CN" if env["res.lang"]._lang_get("zh_CN") else "en_US"
        self.industry_id = env.ref("base.res_partner_industry_C").id
        Users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
        salesman = env.ref("sales_team.group_sale_salesman")
        users = env["res.users"]
        for name, login in SALES_USERS:
            login = f"bench.{login}"
            user = Users.search([("login", "=", login)], limit=1) or Users.create(
                {
                    "name": name,
                    "login": login,
                    "email": f"{login}@example.cn",
                    "groups_id": [Command.set(salesman.ids)],
                }
            )
            users |= user
        self.user_ids = users.ids
        Team = env["crm.team"]
        teams = env["crm.team"]
        for index, (name_zh, name_en) in enumerate(TEAMS):
            team = Team.search([("name", "=", name_en)], limit=1) or Team.create(
                {"name": name_en, "company_id": self.company.id, "sequence": 20 + index}
            )
            if self.lang_zh == "zh_CN":
                team.update_field_translations("name", {"zh_CN": name_zh})
            teams |= team
        self.team_ids = teams.ids
        stages = env["crm.stage"].search([], order="sequence")
        self.open_stage_ids = stages.filtered(lambda s: not s.is_won).ids or stages.ids
        self.won_stage_id = (stages.filtered("is_won")[:1] or stages[-1:]).id
        self.lost_reason_ids = env["crm.lost.reason"].search([]).ids
        warehouse = env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        self.warehouse_id = warehouse.id
        Category = env["product.category"]
        self.categories = {}
        parent = env.ref("product.product_category_all")
        for family in PRODUCT_FAMILIES:
            name_en = family[1]
            if name_en not in self.categories:
                categ = Category.search(
                    [("name", "=", name_en), ("parent_id", "=", parent.id)], limit=1
                ) or Category.create({"name": name_en, "parent_id": parent.id})
                self.categories[name_en] = categ.id
        env.flush_all()

    # -- partners -------------------------------------------------------------

    def generate_partners(self):
        cr, rng = self.cr, self.rng
        total = self.counts["partners"]
        n_companies = max(1, int(total * COMPANY_SHARE))
        n_contacts = total - n_companies
        first_id = next_id(cr, "res_partner")
        self.company_ids = list(range(first_id, first_id + n_companies))
        self.companies = []  # names.Company per company id (same index)
        self.distributor_ids = []
        self.contacts_of = {}
        has_distributor = "is_distributor" in table_columns(cr, "res_partner")
        columns = [
            "id",
            "name",
            "complete_name",
            "parent_id",
            "commercial_partner_id",
            "commercial_company_name",
            "type",
            "is_company",
            "active",
            "lang",
            "tz",
            "vat",
            "website",
            "function",
            "street",
            "city",
            "zip",
            "state_id",
            "country_id",
            "email",
            "email_normalized",
            "phone",
            "mobile",
            "phone_sanitized",
            "comment",
            "user_id",
            "industry_id",
            "partner_share",
            "employee",
            "customer_rank",
            "supplier_rank",
            "color",
            "autopost_bills",
            "invoice_warn",
            "sale_warn",
            "picking_warn",
            "message_bounce",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ]
        if has_distributor:
            columns.append("is_distributor")
        uid = self.uid

        def company_rows():
            for offset in range(n_companies):
                pid = first_id + offset
                chinese = rng.random() < CHINESE_SHARE
                company = names.chinese_company(rng) if chinese else names.western_company(rng)
                self.companies.append(company)
                # the first Chinese company always resells: registrations need a distributor
                is_distributor = chinese and (
                    rng.random() < DISTRIBUTOR_SHARE or not self.distributor_ids
                )
                if is_distributor:
                    self.distributor_ids.append(pid)
                email = f"info@{company.email_domain}"
                created = self._ago(5 * 365, 30)
                row = [
                    pid,
                    company.name,
                    company.name,
                    None,
                    pid,
                    company.name,
                    "contact",
                    True,
                    True,
                    self.lang_zh if chinese else "en_US",
                    "Asia/Shanghai" if chinese else "Europe/Berlin",
                    company.vat,
                    company.website,
                    None,
                    company.street,
                    company.city,
                    company.zip,
                    self.states.get(company.state_code),
                    self.countries[company.country_code],
                    email,
                    email,
                    company.phone,
                    None,
                    names.e164(company.phone),
                    f"<p>English name: {company.english_name}</p>"
                    if company.english_name
                    else None,
                    rng.choice(self.user_ids),
                    self.industry_id,
                    True,
                    False,
                    1,
                    0,
                    0,
                    "ask",
                    "no-message",
                    "no-message",
                    "no-message",
                    0,
                    uid,
                    uid,
                    created,
                    created,
                ]
                if has_distributor:
                    row.append(is_distributor)
                yield row

        def contact_rows():
            for offset in range(n_contacts):
                pid = first_id + n_companies + offset
                index = rng.randrange(n_companies)
                parent_id = first_id + index
                company = self.companies[index]
                if company.chinese:
                    name, login = names.chinese_person(rng)
                    function = rng.choice(names.CN_FUNCTIONS)
                    mobile = names.cn_mobile(rng)
                else:
                    name, login = names.western_person(rng)
                    function = "Purchasing Manager"
                    mobile = None
                self.contacts_of.setdefault(parent_id, pid)
                email = f"{login}@{company.email_domain}"
                created = self._ago(4 * 365, 10)
                row = [
                    pid,
                    name,
                    f"{company.name}, {name}",
                    parent_id,
                    parent_id,
                    company.name,
                    "contact",
                    False,
                    True,
                    self.lang_zh if company.chinese else "en_US",
                    "Asia/Shanghai" if company.chinese else "Europe/Berlin",
                    None,
                    None,
                    function,
                    company.street,
                    company.city,
                    company.zip,
                    self.states.get(company.state_code),
                    self.countries[company.country_code],
                    email,
                    email,
                    company.phone,
                    mobile,
                    names.e164(mobile or company.phone),
                    None,
                    None,
                    None,
                    True,
                    False,
                    0,
                    0,
                    0,
                    "ask",
                    "no-message",
                    "no-message",
                    "no-message",
                    0,
                    uid,
                    uid,
                    created,
                    created,
                ]
                if has_distributor:
                    row.append(False)
                yield row

        count = copy_rows(cr, "res_partner", columns, company_rows())
        count += copy_rows(cr, "res_partner", columns, contact_rows())
        fix_sequence(cr, "res_partner")
        return count

    # -- products -------------------------------------------------------------

    def generate_products(self):
        cr, rng = self.cr, self.rng
        total = self.counts["products"]
        tmpl_first = next_id(cr, "product_template")
        prod_first = next_id(cr, "product_product")
        has_warranty = "warranty_months" in table_columns(cr, "product_template")
        self.products = []  # (product id, name, list price, cost)
        tmpl_columns = [
            "id",
            "name",
            "categ_id",
            "uom_id",
            "uom_po_id",
            "type",
            "is_storable",
            "service_tracking",
            "tracking",
            "sale_line_warn",
            "list_price",
            "sale_ok",
            "purchase_ok",
            "active",
            "sequence",
            "default_code",
            "invoice_policy",
            "expense_policy",
            "sale_delay",
            "lot_valuated",
            "has_configurable_attributes",
            "is_favorite",
            "can_image_1024_be_zoomed",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ]
        if has_warranty:
            tmpl_columns.append("warranty_months")
        templates, variants = [], []
        uid, company_key = self.uid, str(self.company.id)
        for offset in range(total):
            family = PRODUCT_FAMILIES[offset % len(PRODUCT_FAMILIES)]
            cat_zh, cat_en, name_zh, name_en, code, (low, high), serial = family
            model = f"{code}-{offset // len(PRODUCT_FAMILIES) + 1:03d}"
            price = round(rng.uniform(low, high), -1)
            cost = round(price * rng.uniform(0.55, 0.78), 2)
            name = {"en_US": f"{name_en} {model}", "zh_CN": f"{name_zh} {model}"}
            tmpl_id, prod_id = tmpl_first + offset, prod_first + offset
            row = [
                tmpl_id,
                name,
                self.categories[cat_en],
                self.uom_unit,
                self.uom_unit,
                "consu",
                True,
                "no",
                "serial" if serial else "none",
                "no-message",
                price,
                True,
                True,
                True,
                1,
                model,
                "order",
                "no",
                0,
                False,
                False,
                False,
                False,
                uid,
                uid,
                self.now,
                self.now,
            ]
            if has_warranty:
                row.append(24 if price > 100_000 else 12)
            templates.append(row)
            variants.append(
                [
                    prod_id,
                    tmpl_id,
                    model,
                    "",
                    {company_key: cost},
                    True,
                    False,
                    uid,
                    uid,
                    self.now,
                    self.now,
                ]
            )
            self.products.append((prod_id, name_zh + " " + model, price, cost))
        count = copy_rows(cr, "product_template", tmpl_columns, templates)
        copy_rows(
            cr,
            "product_product",
            [
                "id",
                "product_tmpl_id",
                "default_code",
                "combination_indices",
                "standard_price",
                "active",
                "can_image_variant_1024_be_zoomed",
                "create_uid",
                "write_uid",
                "create_date",
                "write_date",
            ],
            variants,
        )
        fix_sequence(cr, "product_template")
        fix_sequence(cr, "product_product")
        return count

    # -- leads ----------------------------------------------------------------

    def generate_leads(self):
        cr, rng = self.cr, self.rng
        total = self.counts["leads"]
        first_id = next_id(cr, "crm_lead")
        has_distributor = "distributor_id" in table_columns(cr, "crm_lead")
        columns = [
            "id",
            "name",
            "type",
            "stage_id",
            "team_id",
            "user_id",
            "company_id",
            "partner_id",
            "partner_name",
            "contact_name",
            "email_from",
            "email_normalized",
            "phone",
            "phone_sanitized",
            "mobile",
            "city",
            "state_id",
            "country_id",
            "expected_revenue",
            "prorated_revenue",
            "probability",
            "automated_probability",
            "active",
            "priority",
            "date_open",
            "date_last_stage_update",
            "date_closed",
            "date_deadline",
            "lost_reason_id",
            "color",
            "message_bounce",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ]
        if has_distributor:
            columns.append("distributor_id")
        self.won_lead_ids = []
        n_companies = len(self.company_ids)

        def rows():
            for offset in range(total):
                lid = first_id + offset
                index = rng.randrange(n_companies)
                company = self.companies[index]
                partner_id = self.company_ids[index] if rng.random() < 0.6 else None
                topic_zh, topic_en = rng.choice(LEAD_TOPICS)
                if company.chinese:
                    contact, login = names.chinese_person(rng)
                    name = f"{company.name} - {topic_zh}"
                    mobile = names.cn_mobile(rng)
                else:
                    contact, login = names.western_person(rng)
                    name = f"{company.name} - {topic_en}"
                    mobile = None
                email = f"{login}@{company.email_domain}"
                created = self._ago(3 * 365)
                kind = "opportunity" if rng.random() < 0.7 else "lead"
                active, probability, closed, lost, stage = True, 10.0, None, None, None
                if kind == "opportunity":
                    roll = rng.random()
                    if roll < 0.25:
                        stage, probability = self.won_stage_id, 100.0
                        closed = created + timedelta(days=rng.randrange(5, 120))
                        self.won_lead_ids.append((lid, index))
                    elif roll < 0.45:
                        stage, probability, active = rng.choice(self.open_stage_ids), 0.0, False
                        lost = rng.choice(self.lost_reason_ids) if self.lost_reason_ids else None
                        closed = created + timedelta(days=rng.randrange(5, 120))
                    else:
                        stage = rng.choice(self.open_stage_ids)
                        probability = float(rng.choice((10, 20, 30, 50, 70, 90)))
                revenue = round(rng.uniform(20_000, 2_000_000), -2)
                row = [
                    lid,
                    name,
                    kind,
                    stage,
                    rng.choice(self.team_ids),
                    rng.choice(self.user_ids),
                    self.company.id,
                    partner_id,
                    company.name,
                    contact,
                    email,
                    email,
                    company.phone,
                    names.e164(mobile or company.phone),
                    mobile,
                    company.city,
                    self.states.get(company.state_code),
                    self.countries[company.country_code],
                    revenue,
                    round(revenue * probability / 100, 2),
                    probability,
                    probability,
                    active,
                    rng.choice("0001123"),
                    created,
                    closed or created,
                    closed,
                    (created + timedelta(days=rng.randrange(30, 180))).date(),
                    lost,
                    0,
                    0,
                    self.uid,
                    self.uid,
                    created,
                    closed or created,
                ]
                if has_distributor:
                    use = self.distributor_ids and rng.random() < 0.3
                    row.append(rng.choice(self.distributor_ids) if use else None)
                yield row

        count = copy_rows(cr, "crm_lead", columns, rows())
        fix_sequence(cr, "crm_lead")
        return count

    # -- sale orders ------------------------------------------------------------

    def generate_orders(self):
        """Confirmed (80 %), draft, sent and cancelled orders of the buying customers.

        ``ORDER_YEARS`` of history, ``LINES_PER_ORDER`` lines each, a few
        customers buying far more often than most; written in chunks of
        ``ORDER_CHUNK`` orders (the lines of a million orders do not fit in memory).
        """
        cr, rng = self.cr, self.rng
        total = self.counts["orders"]
        order_first = next_id(cr, "sale_order")
        line_first = line_id = next_id(cr, "sale_order_line")
        won = list(self.won_lead_ids)
        rng.shuffle(won)
        buyers = rng.sample(
            range(len(self.company_ids)), min(len(self.company_ids), self.counts["customers"])
        )
        currency_id = self.currency.id
        delivered_before = self.now - timedelta(days=30)

        def chunk_rows(first, last):
            nonlocal line_id
            orders, lines = [], []
            for offset in range(first, last):
                oid = order_first + offset
                if won and offset % 3 == 0:
                    lead_id, index = won.pop()
                else:
                    # skewed: the first buyers order far more often than the last
                    lead_id, index = None, buyers[int(len(buyers) * rng.random() ** 2)]
                partner_id = self.company_ids[index]
                state = rng.choices(("sale", "draft", "sent", "cancel"), (80, 10, 5, 5))[0]
                date_order = self._ago(ORDER_YEARS * 365)
                user_id = rng.choice(self.user_ids)
                untaxed = margin = 0.0
                for sequence in range(rng.choice(LINES_PER_ORDER)):
                    product_id, label, price, cost = rng.choice(self.products)
                    qty = float(rng.choice((1, 1, 2, 3, 5, 10, 20)))
                    discount = rng.choice((0.0, 0.0, 5.0, 10.0))
                    subtotal = round(qty * price * (1 - discount / 100), 2)
                    line_margin = round(subtotal - qty * cost, 2)
                    untaxed += subtotal
                    margin += line_margin
                    delivered = qty if state == "sale" and date_order < delivered_before else 0.0
                    lines.append(
                        [
                            line_id,
                            oid,
                            10 + sequence,
                            self.company.id,
                            currency_id,
                            partner_id,
                            user_id,
                            product_id,
                            self.uom_unit,
                            label,
                            qty,
                            price,
                            discount,
                            subtotal,
                            subtotal,
                            0.0,
                            round(subtotal / qty, 2),
                            round(subtotal / qty, 2),
                            delivered,
                            "stock_move",
                            0.0,
                            qty if state == "sale" else 0.0,
                            0.0,
                            subtotal if state == "sale" else 0.0,
                            "to invoice" if state == "sale" else "no",
                            state,
                            0.0,
                            False,
                            False,
                            price,
                            cost,
                            line_margin,
                            round(line_margin / subtotal, 4) if subtotal else 0.0,
                            self.uid,
                            self.uid,
                            date_order,
                            date_order,
                        ]
                    )
                    line_id += 1
                orders.append(
                    [
                        oid,
                        f"S{offset + 100001:06d}",
                        self.company.id,
                        partner_id,
                        partner_id,
                        partner_id,
                        date_order,
                        state,
                        user_id,
                        rng.choice(self.team_ids),
                        currency_id,
                        1.0,
                        round(untaxed, 2),
                        0.0,
                        round(untaxed, 2),
                        "to invoice" if state == "sale" else "no",
                        "direct",
                        self.warehouse_id,
                        False,
                        False,
                        False,
                        1.0,
                        lead_id,
                        round(margin, 2),
                        round(margin / untaxed, 4) if untaxed else 0.0,
                        None,
                        self.uid,
                        self.uid,
                        date_order,
                        date_order,
                    ]
                )
            return orders, lines

        count = 0
        for first in range(0, total, ORDER_CHUNK):
            orders, lines = chunk_rows(first, min(total, first + ORDER_CHUNK))
            count += copy_rows(cr, "sale_order", ORDER_COLUMNS, orders)
            copy_rows(cr, "sale_order_line", LINE_COLUMNS, lines)
        self.timings["sale_order_line"] = (line_id - line_first, 0.0)
        cr.execute(
            "UPDATE res_partner p SET customer_rank = 2 FROM (SELECT DISTINCT partner_id "
            "FROM sale_order WHERE id >= %s) o WHERE p.id = o.partner_id",
            (order_first,),
        )
        fix_sequence(cr, "sale_order")
        fix_sequence(cr, "sale_order_line")
        return count

    # -- deal registrations -------------------------------------------------------

    def generate_registrations(self):
        from odoo.tools import SQL

        cr, rng = self.cr, self.rng
        total = self.counts["registrations"]
        if "crm_deal_registration" not in self._tables() or not self.distributor_ids:
            return 0
        to_traditional = _traditional_converter()
        first_id = next_id(cr, "crm_deal_registration")
        line_id = next_id(cr, "crm_deal_registration_line")
        cr.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS %s (registration_id integer PRIMARY KEY, "
                "partner_id integer NOT NULL, variant varchar NOT NULL)",
                SQL.identifier(TRUTH_TABLE),
            )
        )
        truth, lines = [], []
        states = [state for state, _w in REGISTRATION_STATES]
        weights = [weight for _s, weight in REGISTRATION_STATES]

        def rows():
            nonlocal line_id
            for offset in range(total):
                rid = first_id + offset
                existing = rng.random() < 0.3
                if existing:
                    index = rng.randrange(len(self.company_ids))
                    company = self.companies[index]
                    variant, partner_name = names.name_variant(rng, company, to_traditional)
                    truth.append((rid, self.company_ids[index], variant))
                else:
                    company = names.chinese_company(rng)
                    partner_name = company.name
                state = rng.choices(states, weights)[0]
                partner_id = None
                if existing and state in ("approved", "converted"):
                    partner_id = self.company_ids[index]
                contact, login = names.chinese_person(rng)
                created = self._ago(2 * 365)
                revenue = 0.0
                for sequence in range(rng.choice((1, 1, 2, 3))):
                    product_id, label, price, _cost = rng.choice(self.products)
                    qty = float(rng.choice((1, 2, 4, 10)))
                    revenue += qty * price
                    lines.append(
                        [
                            line_id,
                            rid,
                            10 + sequence,
                            self.company.id,
                            product_id,
                            label,
                            qty,
                            price,
                            qty * price,
                            self.uid,
                            self.uid,
                            created,
                            created,
                        ]
                    )
                    line_id += 1
                yield [
                    rid,
                    f"DR{created:%Y}{offset + 1:07d}",
                    self.company.id,
                    rng.choice(self.distributor_ids),
                    state,
                    partner_name,
                    company.vat,
                    contact,
                    f"{login}@{company.email_domain}",
                    company.phone,
                    names.cn_mobile(rng),
                    company.street,
                    company.city,
                    self.states.get(company.state_code),
                    self.countries[company.country_code],
                    round(revenue, 2),
                    (created + timedelta(days=rng.randrange(30, 180))).date(),
                    partner_id,
                    self.uid,
                    self.uid,
                    created,
                    created,
                ]

        count = copy_rows(
            cr,
            "crm_deal_registration",
            [
                "id",
                "name",
                "company_id",
                "distributor_id",
                "state",
                "partner_name",
                "vat",
                "contact_name",
                "email_from",
                "phone",
                "mobile",
                "street",
                "city",
                "state_id",
                "country_id",
                "expected_revenue",
                "date_deadline",
                "partner_id",
                "create_uid",
                "write_uid",
                "create_date",
                "write_date",
            ],
            rows(),
        )
        copy_rows(
            cr,
            "crm_deal_registration_line",
            [
                "id",
                "registration_id",
                "sequence",
                "company_id",
                "product_id",
                "name",
                "quantity",
                "price_unit",
                "price_subtotal",
                "create_uid",
                "write_uid",
                "create_date",
                "write_date",
            ],
            lines,
        )
        copy_rows(cr, TRUTH_TABLE, ["registration_id", "partner_id", "variant"], truth)
        fix_sequence(cr, "crm_deal_registration")
        fix_sequence(cr, "crm_deal_registration_line")
        return count

    def _tables(self):
        self.cr.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return {row[0] for row in self.cr.fetchall()}

    # -- after the load -----------------------------------------------------------

    def backfill_match_keys(self):
        """Let the matching addon compute its stored keys, when it is installed,
        as its install hook does (missing keys only, one process per core); the
        rows and seconds per model go to the timings (``match_keys <model>``)."""
        done = 0
        for model in ("res.partner", "crm.lead", "crm.deal.registration"):
            Model = self.env.get(model)
            if Model is not None and hasattr(Model, "_match_backfill_keys"):
                start = time.perf_counter()
                rows = Model._match_backfill_keys(
                    missing_only=True, processes=os.cpu_count() or 1, drop_table_indexes=True
                )
                seconds = time.perf_counter() - start
                self.timings[f"match_keys {model}"] = (rows, seconds)
                self.log(f"match keys of {model}: {rows:,} rows in {seconds:.1f} s")
                done += rows
        return done

    def analyze(self):
        """Fresh planner statistics for the tables just loaded."""
        from odoo.tools import SQL

        tables = [table for table in LOADED_TABLES if table in self._tables()]
        for table in tables:
            self.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        return len(tables)

    def run(self):
        self.prepare_references()
        indexes = []
        if self.counts["partners"] >= BULK_THRESHOLD:
            tables = [table for table in LOADED_TABLES if table in self._tables()]
            indexes = drop_secondary_indexes(self.cr, tables)
            self.log(f"dropped {len(indexes)} secondary indexes for the bulk load")
        self._timed("res_partner", self.generate_partners)
        self._timed("product", self.generate_products)
        self._timed("crm_lead", self.generate_leads)
        self._timed("sale_order", self.generate_orders)
        self._timed("crm_deal_registration", self.generate_registrations)
        if indexes:
            self._timed("recreate indexes", lambda: recreate_indexes(self.cr, indexes))
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        self._timed("match_backfill (models)", self.backfill_match_keys)
        self.env.flush_all()
        self._timed("analyze", self.analyze)
        self.env["ir.config_parameter"].sudo().set_param(SCALE_PARAM, scale_label(self.counts))
        self.env.flush_all()
        return self.timings


def _traditional_converter():
    try:
        import opencc
    except ImportError:
        return None
    return opencc.OpenCC("s2t").convert


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", help="Odoo configuration file")
    parser.add_argument("-d", "--database", default="crm_suite_bench")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=20261122)
    for key in ("partners", "leads", "registrations", "products", "orders", "customers"):
        parser.add_argument(f"--{key}", type=int)
    parser.add_argument(
        "--if-missing",
        action="store_true",
        help="do nothing when the database already holds data at this scale",
    )
    args = parser.parse_args(argv)
    counts = counts_for(
        args.scale,
        **{
            key: getattr(args, key)
            for key in ("partners", "leads", "registrations", "products", "orders", "customers")
        },
    )

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config_args = ["-d", args.database, "--log-level=warn"]
    if args.config:
        config_args = ["-c", args.config, *config_args]
    config.parse_config(config_args, setup_logging=True)
    # the key backfill's progress and where its time goes (read, keys, copy,
    # update, indexes), as the install shows them
    logging.getLogger("odoo.addons.crm_match.models.crm_match_mixin").setLevel(logging.INFO)
    odoo.service.server.load_server_wide_modules()
    registry = Registry(args.database)

    def log(message):
        sys.stderr.write(f"[generate] {message}\n")

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        current = env["ir.config_parameter"].get_param(SCALE_PARAM)
        if current:
            if args.if_missing and current == scale_label(counts):
                log(f"database {args.database} already holds {current}")
                return 0
            log(f"database {args.database} already holds {current}: recreate it to change scale")
            return 3
        start = time.perf_counter()
        log(f"generating {scale_label(counts)} into {args.database}")
        timings = Generator(env, counts, seed=args.seed, log=log).run()
        # A tool, not a request: the data is kept, so commit (the cursor would roll back).
        cr.commit()  # pylint: disable=invalid-commit
        seconds = time.perf_counter() - start
        partners = timings["res_partner"][0]
        log(
            f"done in {seconds:.1f} s ({partners / timings['res_partner'][1]:,.0f} partners/s "
            f"for the partner COPY)"
        )
        (BENCH_DIR / "results").mkdir(exist_ok=True)
        (BENCH_DIR / "results" / f"generate-{args.database}.json").write_text(
            json.dumps(
                {"counts": counts, "seconds": seconds, "timings": timings}, indent=2, default=str
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
