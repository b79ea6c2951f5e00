"""The migration that adds the per-service SKM days fills them as a rebuild would, so the IKM pages show
the same figures right after an upgrade (before anyone runs `perjumpaan rebuild_rollups`)."""

from __future__ import annotations

import datetime as dt
import importlib

import time_machine
from django.apps import apps

from perjumpaan.rollup.models import SkmServiceDay
from perjumpaan.rollup.services import rollup_rebuild
from perjumpaan.service import services
from perjumpaan.service.models import Service
from tests.base import PerjumpaanTestCase
from tests.rollup.helpers import snapshot, wita

upgrade = importlib.import_module("perjumpaan.rollup.migrations.0002_skm_service_day_evaluation_raters_all")


class UpgradeTests(PerjumpaanTestCase):
    def test_the_upgrade_fills_the_service_days_as_a_rebuild_does(self) -> None:
        ktp = Service.objects.create(office=self.dukcapil, code="KTP-EL", name="KTP-el")
        kk = Service.objects.create(office=self.dukcapil, code="KK", name="Kartu Keluarga")
        day = dt.date(2026, 11, 23)
        for hour, service, answer in ((23, ktp, 4), (0, kk, 2), (9, None, 3), (10, kk, 1)):
            moment = wita(day + dt.timedelta(days=1 if hour == 0 else 0), hour, 30)
            with time_machine.travel(moment, tick=False):
                services.survey_response_submit(
                    office=self.dukcapil, service=service, answers={"U1": answer, "U9": 4}
                )
        for ticket, service in (("A1", ktp), ("A2", kk), ("A3", kk)):
            services.service_record_enter(
                actor=self.koord_dukcapil,
                office=self.dukcapil,
                service=service,
                date=day,
                ticket=ticket,
                arrival=dt.time(8, 0),
                called=None,
                finished=None,
                counter="1",
                result="ditunda",
            )
        rollup_rebuild()
        rebuilt = snapshot()["SkmServiceDay"]
        self.assertEqual(len(rebuilt), 3)  # KTP-EL on the 23rd, KK on the 23rd and on the 24th
        SkmServiceDay.objects.all().delete()
        upgrade.fill(apps, None)
        self.assertEqual(snapshot()["SkmServiceDay"], rebuilt)
