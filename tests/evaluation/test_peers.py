"""Who rates whom: the random k-regular peer assignment, and the supervisor heuristic."""

from __future__ import annotations

import random
from collections import Counter

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from perjumpaan.evaluation.peers import Person, is_unit_head, peer_pairs, supervisor_pairs


class PeerAssignmentTests(SimpleTestCase):
    @settings(max_examples=300, deadline=None)
    @given(
        people=st.lists(st.integers(min_value=1, max_value=10_000), unique=True, max_size=80),
        k=st.integers(min_value=0, max_value=12),
        seed=st.integers(),
    )
    def test_everyone_receives_about_as_many_ratings_and_nobody_rates_themselves(
        self, people: list[int], k: int, seed: int
    ) -> None:
        pairs = peer_pairs(people, k, random.Random(seed))
        expected = max(0, min(k, len(people) - 1))
        self.assertTrue(all(rater != subject for rater, subject in pairs), "someone rates themselves")
        self.assertEqual(len(pairs), len(set(pairs)), "a pair is assigned twice")
        out_degree = Counter(rater for rater, _subject in pairs)
        in_degree = Counter(subject for _rater, subject in pairs)
        received = [in_degree[p] for p in people]
        if people:
            self.assertLessEqual(max(received) - min(received), 1, received)
            self.assertEqual({out_degree[p] for p in people}, {expected})
        self.assertLessEqual(set(in_degree) | set(out_degree), set(people))

    def test_the_draw_changes_with_the_random_source_but_not_the_balance(self) -> None:
        people = list(range(1, 21))
        first = set(peer_pairs(people, 3, random.Random(1)))
        second = set(peer_pairs(people, 3, random.Random(2)))
        self.assertNotEqual(first, second)
        self.assertEqual(set(Counter(s for _r, s in second).values()), {3})

    def test_two_people_rate_each_other_and_one_person_rates_nobody(self) -> None:
        self.assertEqual(sorted(peer_pairs([7, 9], 3, random.Random(0))), [(7, 9), (9, 7)])
        self.assertEqual(peer_pairs([7], 3, random.Random(0)), [])
        self.assertEqual(peer_pairs([], 3, random.Random(0)), [])

    def test_a_person_listed_twice_is_assigned_once(self) -> None:
        pairs = peer_pairs([1, 2, 2, 3, 4], 2, random.Random(5))
        self.assertEqual(Counter(r for r, _s in pairs), {1: 2, 2: 2, 3: 2, 4: 2})


class SupervisorHeuristicTests(SimpleTestCase):
    def test_a_kepala_assesses_the_other_members_of_their_unit(self) -> None:
        people = [
            Person(1, 10, "Kepala Bidang Pelayanan Pendaftaran Penduduk"),
            Person(2, 10, "Operator Layanan Operasional"),
            Person(3, 10, "Pranata Komputer"),
            Person(4, 11, "Operator Layanan Operasional"),  # another unit
            Person(5, None, "Kepala Dinas"),  # no unit: heads nobody by the heuristic
        ]
        self.assertEqual(supervisor_pairs(people), [(1, 2), (1, 3)])

    def test_heads_do_not_assess_each_other_and_a_unit_without_a_kepala_has_no_supervisor(self) -> None:
        people = [
            Person(1, 10, "Kepala Subbagian Umum dan Kepegawaian"),
            Person(2, 10, "kepala seksi"),
            Person(3, 10, "Bendahara"),
            Person(4, 11, "Sekretaris"),
            Person(5, 11, "Arsiparis"),
        ]
        self.assertEqual(supervisor_pairs(people), [(1, 3), (2, 3)])

    def test_the_word_kepala_is_matched_whole(self) -> None:
        self.assertTrue(is_unit_head("Kepala Seksi Pemerintahan"))
        self.assertFalse(is_unit_head("Pengelola Kepalangmerahan"))
        self.assertFalse(is_unit_head(""))
