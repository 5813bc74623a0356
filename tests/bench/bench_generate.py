"""Loading partners: our COPY generator against stock Odoo's batched ORM create.

Both write the same shape of data (40 % companies, 60 % contacts under them,
Chinese and international) into ``res_partner`` of the bench database, inside
the runner's transaction, which is rolled back afterwards. The figure is the
throughput in partners per second, so higher is better; the target is the
reason the generator exists: at least ten times the ORM's rate, which is what
makes 1,000,000 partners a matter of minutes.
"""

import json
import random
from pathlib import Path

from . import names
from .generate import COMPANY_SHARE, Generator, counts_for
from .harness import Row, measure

RESULTS = Path(__file__).resolve().parent / "results"
BATCH = 1_000
REPEAT = 3


def _orm_vals(rng, count):
    """Stock-Odoo style: the values a user or an import would give ``create``."""
    companies = []
    for _i in range(max(1, int(count * COMPANY_SHARE))):
        company = names.chinese_company(rng) if rng.random() < 0.85 else names.western_company(rng)
        companies.append(company)
    vals = [
        {
            "name": company.name,
            "is_company": True,
            "vat": company.vat,
            "street": company.street,
            "city": company.city,
            "zip": company.zip,
            "phone": company.phone,
            "website": company.website,
            "email": f"info@{company.email_domain}",
        }
        for company in companies
    ]
    return vals, companies


def collect(env):
    Partner = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    rng = random.Random(7)

    def orm_batch():
        vals, companies = _orm_vals(rng, BATCH)
        parents = Partner.create(vals)
        contacts = []
        for _i in range(BATCH - len(parents)):
            index = rng.randrange(len(parents))
            person, login = names.chinese_person(rng)
            contacts.append(
                {
                    "name": person,
                    "parent_id": parents[index].id,
                    "mobile": names.cn_mobile(rng),
                    "email": f"{login}@{companies[index].email_domain}",
                }
            )
        Partner.create(contacts)
        env.flush_all()

    def copy_batch():
        generator = Generator(env, counts_for("tiny", partners=BATCH), seed=rng.randrange(10**6))
        generator.prepare_references()
        generator.generate_partners()

    orm = measure(orm_batch, repeat=REPEAT, warmup=0)
    ours = measure(copy_batch, repeat=REPEAT, warmup=1)
    ours_rate, orm_rate = BATCH / ours.p50 * 1000.0, BATCH / orm.p50 * 1000.0
    rows = [
        Row(
            name=f"partner load ({BATCH:,} per batch)",
            ours=ours_rate,
            baseline=orm_rate,
            unit="partners/s",
            target="x10",
            higher_is_better=True,
            note="ours: COPY generator (tests/bench/generate.py); stock: batched "
            "res.partner.create() with the same companies and contacts; at these rates "
            f"1,000,000 partners take {1e6 / ours_rate:,.0f} s against {1e6 / orm_rate:,.0f} s",
        ),
    ]
    rows.extend(_last_generation_rows(env))
    return rows


def _last_generation_rows(env):
    """What generate.py measured when it filled this database (informative)."""
    path = RESULTS / f"generate-{env.cr.dbname}.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    partners, seconds = data["timings"]["res_partner"]
    rows = [
        Row(
            name=f"generate.py: {data['counts']['partners']:,} partners (COPY)",
            ours=partners / seconds,
            baseline=None,
            unit="partners/s",
            target=None,
            higher_is_better=True,
            note=f"whole data set ({', '.join(f'{k}={v:,}' for k, v in data['counts'].items())})"
            f" loaded in {data['seconds']:,.0f} s when this database was generated",
        ),
    ]
    keys = {
        name.split(" ", 1)[1]: tuple(value)
        for name, value in data["timings"].items()
        if name.startswith("match_keys ")
    }
    if keys:
        rows_total = sum(count for count, _seconds in keys.values())
        seconds_total = sum(seconds for _count, seconds in keys.values())
        rows.append(
            Row(
                name=f"generate.py: matching keys of {rows_total:,} rows",
                ours=seconds_total,
                baseline=None,
                unit="s",
                target=None,
                note="as crm_match's post-init backfill, when this database was generated "
                "(bench_install measures the install itself): "
                + ", ".join(
                    f"{model} {count:,} in {seconds:,.0f} s"
                    for model, (count, seconds) in keys.items()
                ),
            )
        )
    return rows
