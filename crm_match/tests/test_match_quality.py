"""Matching quality measured on a generated corpus (plain Python, no
database): recall and precision per perturbation operator, printed, and the
totals held at 0.95 or more; homophones are always flagged as homophones,
never as the same customer."""

from collections import Counter, defaultdict

from odoo.tests import BaseCase, tagged

from odoo.addons.crm_match.tools.normalize import match_keys
from odoo.addons.crm_match.tools.scoring import KIND_HOMOPHONE, KIND_PROBABLE, KIND_SAME, score_keys

from .match_corpus import DIFFERENT, HOMOPHONE, SAME, generate

MATCHED = (KIND_SAME, KIND_PROBABLE)


def _predict(pair):
    result = score_keys(match_keys(pair.a), match_keys(pair.b))
    return result.kind if result else None


@tagged("post_install", "-at_install")
class TestMatchQuality(BaseCase):
    def test_generated_corpus_recall_precision(self):
        pairs = generate()
        assert len(pairs) >= 2000
        assert {pair.label for pair in pairs} == {SAME, DIFFERENT, HOMOPHONE}
        per_operator = defaultdict(Counter)
        totals = Counter()
        errors = defaultdict(list)
        for pair in pairs:
            kind = _predict(pair)
            counts = per_operator[pair.operator]
            counts["pairs"] += 1
            if pair.label == SAME:
                found = kind in MATCHED
                counts["true_positive" if found else "false_negative"] += 1
            elif pair.label == DIFFERENT:
                found = kind in MATCHED
                counts["false_positive" if found else "true_negative"] += 1
            else:
                found = kind == KIND_HOMOPHONE
                counts["homophone" if found else "homophone_missed"] += 1
                if kind == KIND_SAME:
                    counts["homophone_as_same"] += 1
                # a homophone shown as the same or a probable customer is a
                # false positive of "same"
                counts["false_positive"] += kind in MATCHED
            if not found:
                errors[pair.operator].append((pair.a, pair.b, kind))
        lines = [f"{'operator':28} {'pairs':>6} {'recall':>7} {'precision':>9} {'wrong':>6}"]
        for operator, counts in sorted(per_operator.items()):
            totals.update(counts)
            positives = counts["true_positive"] + counts["false_negative"]
            predicted = counts["true_positive"] + counts["false_positive"]
            recall = counts["true_positive"] / positives if positives else None
            precision = counts["true_positive"] / predicted if predicted else None
            if operator == "homophone":
                recall = counts["homophone"] / counts["pairs"]
            lines.append(
                f"{operator:28} {counts['pairs']:>6} "
                f"{'-' if recall is None else f'{recall:.3f}':>7} "
                f"{'-' if precision is None else f'{precision:.3f}':>9} "
                f"{len(errors[operator]):>6}"
            )
        recall = totals["true_positive"] / (totals["true_positive"] + totals["false_negative"])
        precision = totals["true_positive"] / (totals["true_positive"] + totals["false_positive"])
        wrong = sum(len(errs) for errs in errors.values())
        lines.append(f"{'total':28} {len(pairs):>6} {recall:>7.3f} {precision:>9.3f} {wrong:>6}")
        # printed on purpose: the figures are part of the test's report
        print("\n".join(lines))  # pylint: disable=print-used
        assert recall >= 0.95, {op: errs[:5] for op, errs in errors.items()}
        assert precision >= 0.95, {op: errs[:5] for op, errs in errors.items()}
        assert totals["homophone_as_same"] == 0, errors["homophone"][:10]
        homophones = per_operator["homophone"]
        assert homophones["homophone"] == homophones["pairs"], errors["homophone"][:10]
