"""Loading partners: our COPY generator against stock Odoo's batched ORM create.

Both write the same shape of data (40 % companies, 60 % contacts under them,
Chinese and international) into ``res_partner`` of the bench database, inside
the runner's transaction, which is rolled back afterwards. The figure is the
throughput in partners per second, so higher is better; the target is the
reason the generator exists: at least ten times the ORM's rate, which is what
makes 1,000,000 partners a matter of minutes.
"""

import random

from . import names
from .generate import COMPANY_SHARE, Generator, counts_for
from .harness import Row, measure

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
    return [
        Row(
            name=f"partner load ({BATCH:,} per batch)",
            ours=BATCH / ours.p50 * 1000.0,
            baseline=BATCH / orm.p50 * 1000.0,
            unit="partners/s",
            target="x10",
            higher_is_better=True,
            note="ours: COPY generator (tests/bench/generate.py); stock: batched "
            "res.partner.create() with the same companies and contacts",
        ),
        Row(
            name="1,000,000 partners, extrapolated",
            ours=1_000_000 / (BATCH / ours.p50 * 1000.0),
            baseline=1_000_000 / (BATCH / orm.p50 * 1000.0),
            unit="s",
            target=600,
            note="time to load one million partners at the rates above (the "
            "generator's full run, with indexes growing, is reported by generate.py)",
        ),
    ]
