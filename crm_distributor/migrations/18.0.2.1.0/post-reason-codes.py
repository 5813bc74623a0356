"""18.0.2.1.0: what the matching found is stored as facts and codes, and told
in the reader's language (it was stored as text in the language of whoever
submitted or uploaded):

- registration matches: the reason labels stored until now, in any installed
  language, become the engine's reason codes (see pre-reason-codes.py); a
  line that is no known label is kept as it is (and shown as it is);
- upload rows: the channel manager's detail is composed when read, from the
  protection end and the reason codes, taken here from the matched record
  and from the old text; the old text column is dropped.
"""

from openupgradelib import openupgrade

from odoo.tools import SQL


def _codes_by_label(env):
    Engine = env["crm.match.engine"]
    codes_by_label = {}
    for lang, _name in env["res.lang"].get_installed():
        for code, label in Engine.with_context(lang=lang)._get_reason_labels().items():
            codes_by_label.setdefault(label, code)
    return codes_by_label


def _registration_match_codes(cr, codes_by_label):
    cr.execute("CREATE TEMPORARY TABLE crm_match_reason_label (label varchar, code varchar)")
    cr.execute(
        SQL(
            "INSERT INTO crm_match_reason_label (label, code) VALUES %s",
            SQL(", ").join(SQL("(%s, %s)", label, code) for label, code in codes_by_label.items()),
        )
    )
    cr.execute(
        r"""
        UPDATE crm_deal_registration_match AS m
           SET reason_codes = (
               SELECT string_agg(coalesce(l.code, line.text), E'\n' ORDER BY line.position)
                 FROM unnest(string_to_array(m.reason_codes, E'\n'))
                      WITH ORDINALITY AS line(text, position)
            LEFT JOIN crm_match_reason_label AS l ON l.label = line.text
           )
         WHERE m.reason_codes IS NOT NULL AND m.reason_codes <> ''
        """
    )
    openupgrade.logger.info("crm_distributor: %s match reasons stored as codes", cr.rowcount)
    cr.execute("DROP TABLE crm_match_reason_label")


def _upload_line_facts(cr, codes_by_label):
    if not openupgrade.column_exists(cr, "crm_registration_upload_line", "review_detail"):
        return
    # who protects the row's customer, until when: read from the matched record
    cr.execute(
        """
        UPDATE crm_registration_upload_line AS l
           SET match_protected_until = r.protection_end_date
          FROM crm_deal_registration AS r
         WHERE l.status = 'conflict' AND l.match_model = 'crm.deal.registration'
           AND r.id = l.match_res_id
        """
    )
    cr.execute(
        """
        UPDATE crm_registration_upload_line AS l
           SET match_protected_until = p.end_customer_protected_until
          FROM res_partner AS p
         WHERE l.status = 'conflict' AND l.match_model = 'res.partner'
           AND p.id = l.match_res_id
        """
    )
    # the reasons of the rows for review: the labels found in the old text
    cr.execute(
        "SELECT id, review_detail FROM crm_registration_upload_line "
        "WHERE status = 'duplicate' AND review_detail IS NOT NULL"
    )
    updates = []
    for line_id, detail in cr.fetchall():
        found = sorted(
            (detail.rfind(label), code) for label, code in codes_by_label.items() if label in detail
        )
        if found:
            updates.append((line_id, "\n".join(code for _position, code in found)))
    for start in range(0, len(updates), 10000):
        chunk = updates[start : start + 10000]
        cr.execute(
            """
            UPDATE crm_registration_upload_line AS l
               SET match_reason_codes = v.codes
              FROM unnest(%s::int[], %s::varchar[]) AS v(id, codes)
             WHERE l.id = v.id
            """,
            [[line_id for line_id, _codes in chunk], [codes for _id, codes in chunk]],
        )
    openupgrade.drop_columns(cr, [("crm_registration_upload_line", "review_detail")])


@openupgrade.migrate()
def migrate(env, version):
    codes_by_label = _codes_by_label(env)
    if not codes_by_label:
        return
    _registration_match_codes(env.cr, codes_by_label)
    _upload_line_facts(env.cr, codes_by_label)
