"""Instruments: the BerAKHLAK default, versions that never change once published, and their admin."""

from __future__ import annotations

import json
from pathlib import Path

import time_machine
from django.urls import reverse

from perjumpaan.evaluation import services
from perjumpaan.evaluation.instrument import SCALE_LABELS
from perjumpaan.evaluation.models import Instrument, InstrumentVersion, Item, Part, Response, Round
from perjumpaan.org.models import Government
from tests.evaluation.helpers import NOW, EvaluationTestCase

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "berakhlak.json"
PACKAGED = Path(services.__file__).resolve().parent / "data" / "berakhlak.json"


def normalised(text: str) -> str:
    return " ".join(text.casefold().split())


@time_machine.travel(NOW, tick=False)
class DefaultInstrumentTests(EvaluationTestCase):
    def test_it_asks_the_seven_core_values_by_their_three_official_behaviours(self) -> None:
        version = services.evaluation_instrument_default(government=self.government)
        source = json.loads(PACKAGED.read_text(encoding="utf-8"))
        if SHARED.exists():  # the packaged copy is the shared data, unchanged
            self.assertEqual(source, json.loads(SHARED.read_text(encoding="utf-8")))
        items = list(version.items.filter(group=Item.Group.BERAKHLAK).order_by("order"))
        self.assertEqual(len(items), 21)
        expected = [(v["code"], v["name"], b) for v in source["values"] for b in v["panduan_perilaku"]]
        self.assertEqual(
            [(i.value_code, i.value_name, normalised(i.text)) for i in items],
            [(code, name, normalised(text)) for code, name, text in expected],
        )
        self.assertEqual(items[0].text, "Memahami dan memenuhi kebutuhan masyarakat")
        self.assertEqual(
            items[0].value_definition, "Komitmen memberikan pelayanan prima demi kepuasan masyarakat"
        )

    def test_it_adds_the_programme_s_aims_and_two_open_questions_for_oneself_only(self) -> None:
        version = services.evaluation_instrument_default(government=self.government)
        aims = version.items.filter(group=Item.Group.PROGRAM).order_by("order")
        self.assertEqual(
            list(aims.values_list("value_name", flat=True)),
            ["Kejujuran", "Kebersamaan", "Kekeluargaan", "Sikap melayani warga"],
        )
        questions = list(version.items.filter(kind=Item.Kind.OPEN).order_by("order"))
        self.assertEqual([q.value_code for q in questions], ["BAIK", "PERBAIKI"])
        self.assertTrue(all(q.for_self and not q.for_peer and not q.for_supervisor for q in questions))
        self.assertEqual(version.scale_labels, list(SCALE_LABELS))
        self.assertEqual(version.scale_labels[0], "Sangat kurang")
        self.assertEqual(version.scale_labels[-1], "Sangat baik")
        self.assertTrue(version.is_published)

    def test_it_is_created_once_per_government(self) -> None:
        first = services.evaluation_instrument_default(government=self.government)
        again = services.evaluation_instrument_default(government=self.government)
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(Instrument.objects.filter(government=self.government).count(), 1)
        other = Government.objects.get(slug="lombok-timur")
        self.assertNotEqual(
            services.evaluation_instrument_default(government=other).instrument_id, first.instrument_id
        )

    def test_open_rounds_creates_it_when_a_government_has_none(self) -> None:
        self.assertFalse(Instrument.objects.exists())
        round_ = self.open_round()
        self.assertEqual(round_.instrument_version.instrument.government, self.government)


@time_machine.travel(NOW, tick=False)
class VersionTests(EvaluationTestCase):
    def test_editing_makes_a_new_version_and_past_rounds_keep_their_wording(self) -> None:
        old_round = self.open_round(friday=NOW.date().replace(day=4))
        first = old_round.instrument_version
        self.submit(self.assignments(old_round, Part.SELF, rater=self.baiq)[0], 4)
        draft = services.instrument_version_draft(instrument=first.instrument, user=self.admin)
        self.assertEqual((draft.number, draft.is_published), (2, False))
        self.assertEqual(draft.items.count(), first.items.count())
        item = draft.items.get(order=1)
        item.text = "Memahami kebutuhan warga yang datang ke loket"
        item.save()
        # Before it is published, new rounds still use version 1.
        self.assertEqual(services.instrument_version_current(government=self.government), first)
        services.instrument_version_publish(version=draft, user=self.admin)
        self.assertEqual(services.instrument_version_current(government=self.government).pk, draft.pk)

        old_round.refresh_from_db()
        self.assertEqual(old_round.instrument_version_id, first.pk)
        self.assertEqual(first.items.get(order=1).text, "Memahami dan memenuhi kebutuhan masyarakat")
        response = Response.objects.get(round=old_round)
        self.assertTrue(set(map(int, response.scores)) <= set(first.items.values_list("pk", flat=True)))
        new_round = self.open_round(self.pupr)
        self.assertEqual(new_round.instrument_version_id, draft.pk)

    def test_a_published_version_cannot_be_published_again_nor_an_incomplete_draft(self) -> None:
        version = services.evaluation_instrument_default(government=self.government)
        with self.assertRaisesMessage(services.EvaluationError, services.VERSION_PUBLISHED):
            services.instrument_version_publish(version=version, user=self.admin)
        draft = services.instrument_version_draft(instrument=version.instrument, user=self.admin)
        draft.items.update(for_supervisor=False)
        with self.assertRaisesMessage(services.EvaluationError, services.VERSION_EMPTY):
            services.instrument_version_publish(version=draft, user=self.admin)
        draft.items.update(for_supervisor=True)
        draft.scale_labels = ["a", "b"]
        draft.save()
        with self.assertRaisesMessage(services.EvaluationError, services.SCALE_LABELS_INVALID):
            services.instrument_version_publish(version=draft, user=self.admin)

    def test_asking_for_a_draft_twice_gives_the_same_draft(self) -> None:
        version = services.evaluation_instrument_default(government=self.government)
        first = services.instrument_version_draft(instrument=version.instrument, user=self.admin)
        self.assertEqual(
            services.instrument_version_draft(instrument=version.instrument, user=self.admin), first
        )

    def test_a_government_without_an_active_published_instrument_opens_no_round(self) -> None:
        version = services.evaluation_instrument_default(government=self.government)
        Instrument.objects.filter(pk=version.instrument_id).update(is_active=False)
        with self.assertRaisesMessage(services.EvaluationError, "belum mempunyai instrumen"):
            self.open_round()
        self.assertFalse(Round.objects.exists())


@time_machine.travel(NOW, tick=False)
class InstrumentAdminTests(EvaluationTestCase):
    def setUp(self) -> None:
        self.version = services.evaluation_instrument_default(government=self.government)
        self.admin.is_staff = True
        self.admin.save()
        self.client.force_login(self.admin)

    def test_a_published_version_is_shown_read_only(self) -> None:
        url = reverse("admin:evaluation_instrumentversion_change", args=[self.version.pk])
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Memahami dan memenuhi kebutuhan masyarakat")
        self.assertNotContains(page, 'name="_save"')
        item = self.version.items.get(order=1)
        self.client.post(url, {"note": "diubah", "items-0-id": item.pk, "items-0-text": "Diubah"})
        item.refresh_from_db()
        self.version.refresh_from_db()
        self.assertEqual(item.text, "Memahami dan memenuhi kebutuhan masyarakat")
        self.assertNotEqual(self.version.note, "diubah")

    def test_the_admin_makes_a_draft_edits_it_and_publishes_it(self) -> None:
        changelist = reverse("admin:evaluation_instrument_changelist")
        self.client.post(
            changelist, {"action": "make_draft", "_selected_action": [self.version.instrument_id]}
        )
        draft = InstrumentVersion.objects.get(number=2)
        page = self.client.get(reverse("admin:evaluation_instrumentversion_change", args=[draft.pk]))
        self.assertContains(page, 'name="_save"')
        self.client.post(
            reverse("admin:evaluation_instrumentversion_changelist"),
            {"action": "publish", "_selected_action": [draft.pk]},
        )
        draft.refresh_from_db()
        self.assertTrue(draft.is_published)

    def test_another_government_s_admin_does_not_see_the_instrument(self) -> None:
        other = self.other_admin
        other.is_staff = True
        other.save()
        self.client.force_login(other)
        page = self.client.get(reverse("admin:evaluation_instrument_changelist"))
        self.assertNotContains(page, self.version.instrument.name)
        url = reverse("admin:evaluation_instrumentversion_change", args=[self.version.pk])
        self.assertIn(self.client.get(url).status_code, (302, 404))

    def test_staff_have_no_admin_of_who_rated_whom(self) -> None:
        self.assertFalse(
            any("assignment" in url or "response" in url for url in self._admin_urls()),
            "assignments and responses must not be browsable in the admin",
        )

    def _admin_urls(self) -> list[str]:
        page = self.client.get(reverse("admin:app_list", args=["evaluation"])).content.decode()
        return [line for line in page.split('href="') if line.startswith("/admin/evaluation/")]
