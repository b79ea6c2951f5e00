"""Shared set-up for the service tests: the catalogues of DUKCAPIL and PUPR, and queue-machine files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from perjumpaan.rollup.services import rollup_service_records_changed, rollup_survey_response_added
from perjumpaan.service.models import Service, ServiceRecord, SurveyResponse
from tests.base import PerjumpaanTestCase

WITA = ZoneInfo("Asia/Makassar")

# A real export's header, as the queue machine in the brief writes it.
EXPORT_HEADER = [
    "No. Antrian", "Tanggal", "Jenis Layanan", "Jam Datang", "Jam Panggil", "Jam Selesai", "Loket", "Petugas",
    "Status",
]  # fmt: skip

DUKCAPIL_SERVICES = (
    ("KTP-EL", "KTP-el"),
    ("KK", "Kartu Keluarga"),
    ("AKTA-LAHIR", "Akta Kelahiran"),
    ("AKTA-MATI", "Akta Kematian"),
    ("PINDAH", "Surat Pindah"),
    ("KIA", "Kartu Identitas Anak"),
)


def wita(day: dt.date, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=WITA)


def csv_file(
    rows: Sequence[Sequence[Any]], header: Sequence[str] = EXPORT_HEADER, delimiter: str = ";"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_file(rows: Sequence[Sequence[Any]], header: Sequence[str] = EXPORT_HEADER, title: str = "") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stored_answer(**fields: Any) -> SurveyResponse:
    """An SKM answer sheet stored as given (any time, any office), with the hook its write path calls:
    the IKM pages read the daily sums."""
    response = SurveyResponse.objects.create(**fields)
    rollup_survey_response_added(response=response)
    return response


class ServiceTestCase(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.services = {
            code: Service.objects.create(office=cls.dukcapil, code=code, name=name, order=index)
            for index, (code, name) in enumerate(DUKCAPIL_SERVICES)
        }
        cls.pbg = Service.objects.create(office=cls.pupr, code="PBG", name="Persetujuan Bangunan Gedung")

    def record(
        self,
        day: dt.date,
        ticket: str,
        *,
        service: str = "KTP-EL",
        arrival: tuple[int, int] = (8, 0),
        wait: int = 20,
        duration: int = 10,
        result: str = "selesai",
        office: Any = None,
    ) -> ServiceRecord:
        start = wita(day, *arrival)
        called = start + dt.timedelta(minutes=wait)
        record = ServiceRecord.objects.create(
            office=office or self.dukcapil,
            service=self.pbg if office == self.pupr else self.services[service],
            date=day,
            ticket=ticket,
            arrival=start,
            called=called,
            finished=called + dt.timedelta(minutes=duration),
            result=result,
        )
        # What every write path of records does in its transaction: the pages read the daily rollups.
        rollup_service_records_changed(office=record.office, new=[record])
        return record
