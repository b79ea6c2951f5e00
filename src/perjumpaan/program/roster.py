"""The fair kultum rotation, as a pure function so that its fairness can be proven property-based.

Rule: the next turn goes to the available person with the fewest turns so far; ties go to whoever spoke
longest ago (never first), then to the lowest id for determinism. Consequences, which
tests/program/test_roster.py proves:

- among people who were always available, turn counts never differ by more than one;
- someone skipped (on leave, blocked out) keeps their place at the front of the queue: with the fewest
  turns they get the next day they are available;
- a newcomer starts with no turns and so speaks on the next days until they have caught up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping


def roster_pick(
    candidates: Iterable[int],
    *,
    turns: Mapping[int, int],
    last_turn: Mapping[int, dt.date | None],
    unavailable: set[int],
) -> int | None:
    """The id of who gives the next kultum, or None when nobody is available."""
    pool = [c for c in candidates if c not in unavailable]
    if not pool:
        return None
    return min(pool, key=lambda c: (turns.get(c, 0), last_turn.get(c) or dt.date.min, c))
