"""The arithmetic of the Friday evaluation's scores, and the rule of three that keeps them anonymous.

Scores:

- an item (one behaviour) is scored 1–5;
- a response's score for a value is the mean of its scores of that value's items (the three behaviours
  of a BerAKHLAK value; the one behaviour of a programme aim);
- a response's overall score (`OVERALL`) is the mean of its value scores, every value weighing the same
  whatever its number of items;
- a group's score (the office's peer scores of a week, one unit's, one person's) is the mean over the
  group's responses, every response weighing the same.

Exact fractions throughout; rounding happens only when a number is written.

Anonymity: a score about others is shown only when at least `THRESHOLD` (3) responses by at least 3
different raters make it; otherwise it is withheld. A breakdown by unit also needs 3 people assessed in
each row, and the rows below that are merged (with the smallest others, if needed) into one row, so that
no withheld unit can be worked out by subtracting the shown rows from the office's total.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

THRESHOLD = 3
# The pseudo value code of a response's overall score.
OVERALL = "*"


def value_means(scores: Mapping[str, Any], value_of: Mapping[int, str]) -> dict[str, Fraction]:
    """One response's score per value code, and its overall score under `OVERALL`.

    `scores` maps item ids (as JSON keys) to 1–5; `value_of` maps the version's scale item ids to their
    value codes. Anything else in `scores` (an open item, a stray key) is ignored.
    """
    by_value: dict[str, list[int]] = {}
    for key, score in scores.items():
        try:
            code = value_of.get(int(key))
        except (TypeError, ValueError):
            continue
        if code is None or not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
            continue
        by_value.setdefault(code, []).append(score)
    totals = {code: (sum(values), len(values)) for code, values in by_value.items()}
    means = {code: Fraction(total, count) for code, (total, count) in totals.items()}
    if totals:
        # The mean of the value means over their common denominator: one fraction, not one per value.
        common = math.lcm(*(count for _total, count in totals.values()))
        numerator = sum(total * (common // count) for total, count in totals.values())
        means[OVERALL] = Fraction(numerator, common * len(totals))
    return means


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """The sum of fractions, exactly, adding the numerators of each denominator first: scores have few
    different denominators, and adding fractions one by one (a gcd each time) was most of a large
    office's report."""
    numerators: dict[int, int] = {}
    for value in values:
        numerators[value.denominator] = numerators.get(value.denominator, 0) + value.numerator
    return sum((Fraction(n, d) for d, n in numerators.items()), Fraction(0))


@dataclass(frozen=True)
class Scored:
    """One response reduced to what aggregates need: its part, whom it is about, its value scores."""

    part: str
    subject_id: int
    means: dict[str, Fraction]


@dataclass(frozen=True)
class Score:
    """A group's score for one value: the mean, or None when there is nothing or it is withheld."""

    mean: Fraction | None
    responses: int
    raters: int

    @property
    def withheld(self) -> bool:
        return self.responses > 0 and self.mean is None


NO_SCORE = Score(None, 0, 0)


def score_of(scored: Iterable[Scored], code: str, *, raters: int, threshold: int = THRESHOLD) -> Score:
    """The mean of `code` over `scored` responses, withheld below `threshold` responses or raters."""
    values = [s.means[code] for s in scored if code in s.means]
    if not values:
        return Score(None, 0, raters)
    if len(values) < threshold or raters < threshold:
        return Score(None, len(values), raters)
    return Score(exact_sum(values) / len(values), len(values), raters)


def change(current: Score, previous: Score | None) -> Fraction | None:
    if previous is None or current.mean is None or previous.mean is None:
        return None
    return current.mean - previous.mean


# --- Breakdown by unit -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """People assessed together in a breakdown (a unit), the raters of their responses, and how many."""

    labels: tuple[str, ...]
    subjects: frozenset[int]
    raters: frozenset[int]
    responses: int

    def safe(self, threshold: int = THRESHOLD) -> bool:
        return (
            len(self.subjects) >= threshold and len(self.raters) >= threshold and self.responses >= threshold
        )

    @property
    def merged(self) -> bool:
        return len(self.labels) > 1


def _union(groups: Sequence[Group]) -> Group:
    return Group(
        labels=tuple(label for g in groups for label in g.labels),
        subjects=frozenset().union(*(g.subjects for g in groups)),
        raters=frozenset().union(*(g.raters for g in groups)),
        responses=sum(g.responses for g in groups),
    )


def publishable_groups(groups: Iterable[Group], threshold: int = THRESHOLD) -> list[Group]:
    """The rows a breakdown may show: the safe groups, and the unsafe ones merged into one row.

    If the merged row is itself unsafe, the smallest safe groups join it until it is safe, so the merged
    row never equals one unsafe group and no unsafe group is the difference of the total and the rows
    shown. When everything would end up merged, there is no breakdown at all ([]).
    """
    with_data = [g for g in groups if g.responses > 0]
    shown = sorted((g for g in with_data if g.safe(threshold)), key=lambda g: (len(g.subjects), g.responses))
    pooled = [g for g in with_data if not g.safe(threshold)]
    while pooled and not _union(pooled).safe(threshold) and shown:
        pooled.append(shown.pop(0))
    if not pooled:
        return sorted(shown, key=lambda g: g.labels)
    merged = _union(pooled)
    if not shown or not merged.safe(threshold):
        return []
    return [*sorted(shown, key=lambda g: g.labels), merged]
