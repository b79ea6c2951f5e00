"""Demo data of the maintained aggregates: rebuilt from whatever the other apps' demo steps wrote.

The other steps write in bulk, not through the services that keep the aggregates current, so this step
(registered after theirs: `rollup` comes after them in INSTALLED_APPS) recomputes the demo government's
aggregates. Idempotent like every step: a rebuild gives the same rows however often it runs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from perjumpaan.org.demo import DemoContext, demo_step
from perjumpaan.org.models import Office
from perjumpaan.rollup.services import rollup_rebuild


@demo_step("rollup.rebuild")
def rollups(ctx: DemoContext) -> None:
    report = rollup_rebuild(offices=list(Office.objects.filter(government=ctx.government)))
    ctx.say(_("Rekap terpelihara: {rows} baris dihitung ulang.").format(rows=sum(report.rows.values())))
