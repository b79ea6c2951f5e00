"""Reads on the busiest path, compiled to SQL by the ORM once and then run with new values.

Turning a queryset into SQL costs Django about a millisecond per query with a `select_related`; running
that SQL on SQLite costs a tenth of it (measured in bench/README.md, "The check-in path"). A check-in makes
three such reads, so on the one path where a few hundred phones arrive within a minute, the compilation is
most of the work. `Prepared` keeps the ORM as the only author of the SQL: it builds the queryset once with
stand-in values, compiles it, remembers where each stand-in went among the parameters, and afterwards runs
the same SQL with the real values, turning rows into model instances exactly as a queryset does (the
database's converters, `Model.from_db`, and the related objects of `select_related`).

Only plain equality on `str` and `int` values may be parameters (a stand-in must reach the parameters
unchanged); `Prepared` refuses at its first use a query where a stand-in is missing. Use it where a
benchmark shows the need, nowhere else: an ordinary queryset is clearer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)

_STAND_INS: dict[type, Callable[[int], Any]] = {
    str: lambda index: f"\x1fprepared-{index}\x1f",
    int: lambda index: -(2**62) + 7919 * (index + 1),
}


@dataclass
class _Compiled:
    compiler: Any
    sql: str
    slots: list[tuple[str | None, Any]]  # (parameter name, or None and the constant to pass)
    converters: dict[int, Any]


class Prepared(Generic[M]):
    """`Prepared(lambda digest: ApiToken.objects.filter(digest=digest)[:1], digest=str)`: call
    `.first(digest=…)` or `.all(…)` for model instances, `.rows(…)` for a `values_list` query."""

    def __init__(self, build: Callable[..., QuerySet[M]], **kinds: type) -> None:
        unknown = [name for name, kind in kinds.items() if kind not in _STAND_INS]
        if unknown:
            raise TypeError(f"Prepared takes str and int parameters only, not {unknown}")
        self.build = build
        self.kinds = kinds
        # Per thread: a compiler holds its thread's connection (gunicorn's gthread workers run several).
        self._local = threading.local()

    def _compiled(self, alias: str) -> _Compiled:
        cache: dict[str, _Compiled] = self._local.__dict__.setdefault("compiled", {})
        compiled = cache.get(alias)
        if compiled is None:
            stand_ins = {
                name: _STAND_INS[kind](index) for index, (name, kind) in enumerate(self.kinds.items())
            }
            queryset = self.build(**stand_ins)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            by_value = {value: name for name, value in stand_ins.items()}
            slots = [(by_value.get(value), value) for value in params]
            missing = set(stand_ins) - {name for name, _value in slots if name is not None}
            if missing:
                raise ValueError(f"Prepared: the query does not take {sorted(missing)} as plain parameters")
            converters = compiler.get_converters(
                [column[0] for column in compiler.select[: compiler.col_count]]
            )
            compiled = cache[alias] = _Compiled(
                compiler=compiler, sql=sql, slots=slots, converters=converters
            )
        return compiled

    def _fetch(self, alias: str, values: dict[str, Any]) -> tuple[_Compiled, list[Any]]:
        compiled = self._compiled(alias)
        params = [values[name] if name is not None else constant for name, constant in compiled.slots]
        with connections[alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        if compiled.converters:
            return compiled, list(compiled.compiler.apply_converters(fetched, compiled.converters))
        return compiled, fetched

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple[Any, ...]]:
        """The rows of a `values_list` query, converted as the queryset would convert them."""
        return [tuple(row) for row in self._fetch(using, values)[1]]

    def all(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> Iterator[M]:
        """Model instances, with their `select_related` objects, as the queryset would give them."""
        compiled, rows = self._fetch(using, values)
        compiler = compiled.compiler
        select, klass_info = compiler.select, compiler.klass_info
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        for row in rows:
            instance = model.from_db(using, names, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            yield instance

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> M | None:
        return next(self.all(using=using, **values), None)
