"""Who assesses whom in a round: the peer assignment and the supervisor heuristic. Pure functions.

Peers: everyone in a random circle rates the next `k` people along it. Each person rates `k`
colleagues and is rated by exactly `k` (a k-regular assignment), nobody rates themselves, nobody is
assigned the same colleague twice, and who rates whom changes every week. The circle is drawn by the
system's cryptographic random source in production, so nobody can predict or reconstruct it from the
date; tests pass a seeded generator.

Supervisors: a unit's head is any active member of the unit whose position (jabatan) contains the word
"Kepala" (Kepala Bidang, Kepala Seksi, Kepala Subbagian); each head assesses every other member of the
unit who is not a head. Positions such as Sekretaris or Inspektur Pembantu are not recognised; the
coordinator adds or removes supervisor assignments on the round's page, and those corrections are
carried to the following rounds (see `services.round_open`).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

HEAD = re.compile(r"\bkepala\b", re.IGNORECASE)


def peer_pairs(people: Sequence[int], k: int, rng: random.Random) -> list[tuple[int, int]]:
    """(rater, subject) pairs: a random circle of `people`, each rating the next min(k, n − 1)."""
    circle = list(dict.fromkeys(people))
    rng.shuffle(circle)
    n = len(circle)
    k = max(0, min(k, n - 1))
    return [(circle[i], circle[(i + step) % n]) for i in range(n) for step in range(1, k + 1)]


def is_unit_head(position: str) -> bool:
    return bool(HEAD.search(position or ""))


@dataclass(frozen=True)
class Person:
    pk: int
    unit_id: int | None
    position: str


def supervisor_pairs(people: Iterable[Person]) -> list[tuple[int, int]]:
    """(supervisor, subject) pairs by the heuristic: every head of a unit assesses the unit's other
    members who are not heads themselves. People without a unit have no supervisor here."""
    units: dict[int, list[Person]] = defaultdict(list)
    for person in people:
        if person.unit_id is not None:
            units[person.unit_id].append(person)
    pairs = []
    for members in units.values():
        heads = [p for p in members if is_unit_head(p.position)]
        for head in heads:
            pairs += [(head.pk, p.pk) for p in members if p.pk != head.pk and not is_unit_head(p.position)]
    return sorted(pairs)
