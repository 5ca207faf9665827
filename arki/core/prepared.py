"""Reads whose SQL the ORM writes once per process, with the values bound at each call.

Building a queryset and compiling it to SQL costs Django 0.3–1 ms of Python per query, often
more than running it: a page with eight small reads spends several milliseconds writing the
same SQL again. A ``Prepared`` read is written once with the ORM, as usual::

    notes_of = Prepared(
        lambda discussion: WorkingNote.objects.filter(discussion_id=discussion),
        discussion=Param(WorkingNote, "discussion"),
    )
    notes = notes_of(discussion=discussion.pk)

The first call on a database connection's vendor builds the queryset with *probe* values
(fresh random ones nobody else uses), compiles it, and finds where each probe landed among the
SQL parameters. Every later call only puts the new values in those places, runs the SQL and
turns the rows into model instances as ``QuerySet`` does (``select_related`` objects and
annotations included).

What may be a parameter: a value compared for equality (``field=value``) or membership
(``field__in=values``, a ``Param(..., many=True)``: the SQL is kept per number of values), or
a text searched for (``field__icontains=text``, ``Param(..., contains=True)``, or
``field__startswith=text``, ``Param(..., startswith=True)``), turned into
what the database takes by the field it is compared with, the way the ORM does it. An
``optional`` parameter may be ``None``, which the build function takes to mean "no such
filter"; other keyword arguments are *shape* arguments (flags that change the query). The SQL
is kept per shape, per presence of the optional parameters and per number of values.
The probe must show up among the parameters exactly so; a probe that the query transforms
(``icontains``, a date part), inlines into the SQL text, or drops is refused when the read is
first prepared, so a read that cannot be prepared fails loudly in its tests rather than
returning wrong rows. Querysets with ``prefetch_related``, ``values()`` or other non-model
results are refused too. ``arki/core/tests/test_prepared.py`` compares each prepared read of
the project with its plain queryset, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import threading
import uuid
import weakref
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models import Field, ForeignKey, Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators


@dataclass(frozen=True)
class Param:
    """A parameter of a prepared read: the model field its value is compared with."""

    model: type[Model]
    field_name: str
    many: bool = False
    # ``None`` leaves the filter out (the build function must skip it): a plan per presence.
    optional: bool = False
    # Compared with ``field__contains`` or ``field__icontains``: bound as the ORM's pattern.
    contains: bool = False
    # Compared with ``field__startswith`` or ``field__istartswith``: likewise.
    startswith: bool = False

    @property
    def field(self) -> Field:
        field = self.model._meta.get_field(self.field_name)
        if not isinstance(field, Field) or not field.concrete or field.many_to_many:
            raise ValueError(f"{self.model.__name__}.{self.field_name} is not a column")
        return field

    @property
    def value_field(self) -> Field:
        """The field whose values the parameter carries (a foreign key's target)."""
        field = self.field
        while isinstance(field, ForeignKey):
            field = field.target_field
        return field


# How each parameter shapes a plan, besides a list's length: one value, or left out.
_ONE, _ABSENT = -1, -2


class NotPreparable(ValueError):
    """The read cannot be prepared: a parameter is not used as a plain value."""


def _probe(field: Field) -> Any:
    kind = field.get_internal_type()
    if kind == "UUIDField":
        return uuid.uuid4()
    if kind in {
        "AutoField",
        "BigAutoField",
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
    }:
        return random.randrange(10**12, 2**31 * 10**6)  # noqa: S311 - a probe, not a secret
    if kind in {"CharField", "TextField", "SlugField"}:
        return f"prepared-probe-{uuid.uuid4().hex}"
    if kind == "DateTimeField":  # a moment far ahead, to the microsecond
        return datetime(random.randrange(2200, 9000), 1, 1, tzinfo=UTC) + timedelta(  # noqa: S311
            microseconds=random.randrange(1, 365 * 86400 * 10**6)  # noqa: S311
        )
    raise NotPreparable(f"no probe for a {kind}")


def _prep(param: Param, value: Any, connection: Any) -> Any:
    prepped = param.field.get_db_prep_value(value, connection, prepared=False)
    # As django.db.models.lookups.PatternLookup binds them.
    if param.contains:
        return f"%{connection.ops.prep_for_like_query(prepped)}%"
    if param.startswith:
        return f"{connection.ops.prep_for_like_query(prepped)}%"
    return prepped


@dataclass
class _Plan:
    sql: str
    params: list[Any]
    places: dict[str, list[list[int]]]  # name -> per value -> positions in params
    db: str
    init_list: list[str]
    start: int
    end: int
    converters: list[tuple[int, list[Callable], Any]]
    related: list[Any]
    annotations: dict[str, int]
    fetch_mode: Any
    from_db: Callable[..., Model]


class Prepared[M: Model]:
    """A read of model instances with its SQL written once per process and database."""

    def __init__(self, build: Callable[..., QuerySet[M]], **params: Param) -> None:
        self.build = build
        self.params = params
        self._plans: dict[Hashable, _Plan] = {}
        self._lock = threading.Lock()

    def queryset(self, **values: Any) -> QuerySet[M]:
        """The plain queryset for these values (what the prepared read returns)."""
        return self.build(**values)

    def __call__(self, *, using: str = "default", **values: Any) -> list[M]:
        """The rows for ``values``: one per declared ``Param``, plus any *shape* arguments
        (other keywords, hashable: flags and choices that change the query itself, passed to
        the build function as they are; the SQL is kept per shape)."""
        missing = self.params.keys() - values.keys()
        if missing:
            raise TypeError(f"missing the values {sorted(missing)}")
        shape = tuple(sorted((k, v) for k, v in values.items() if k not in self.params))
        counts = []
        for name, param in self.params.items():
            value = values[name]
            if value is None:
                if not param.optional:
                    raise TypeError(f"{name!r} is not optional")
                counts.append(_ABSENT)
            else:
                counts.append(len(value) if param.many else _ONE)
        lengths = tuple(counts)
        if any(n == 0 for n in lengths):
            return []  # `field__in=[]` matches nothing, and the ORM does not even ask
        key = (using, lengths, shape)
        plan = self._plans.get(key)
        if plan is None:
            with self._lock:
                plan = self._plans.get(key) or self._prepare(using, lengths, dict(shape))
                self._plans[key] = plan
        connection = connections[using]
        params = list(plan.params)
        for name, param in self.params.items():
            given = values[name]
            if given is None:
                continue
            for places, value in zip(
                plan.places[name], list(given) if param.many else [given], strict=True
            ):
                prepped = _prep(param, value, connection)
                for i in places:
                    params[i] = prepped
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        return self._instances(plan, rows, connection)

    def _prepare(self, using: str, lengths: tuple[int, ...], shape: dict[str, Any]) -> _Plan:
        connection = connections[using]
        probes: dict[str, Any] = dict(shape)
        for (name, param), n in zip(self.params.items(), lengths, strict=True):
            field = param.value_field
            if n == _ABSENT:
                probes[name] = None
            else:
                probes[name] = [_probe(field) for _ in range(n)] if param.many else _probe(field)
        queryset = self.build(**probes)
        if queryset._iterable_class is not ModelIterable:
            raise NotPreparable("only reads of model instances can be prepared")
        if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            raise NotPreparable("prefetch_related cannot be prepared")
        compiler = queryset.query.get_compiler(using=using)
        sql, sql_params = compiler.as_sql()
        sql_params = list(sql_params)
        places: dict[str, list[list[int]]] = {}
        for name, param in self.params.items():
            if probes[name] is None:
                continue
            given = probes[name] if param.many else [probes[name]]
            places[name] = []
            for probe in given:
                prepped = _prep(param, probe, connection)
                found = [
                    i for i, p in enumerate(sql_params) if type(p) is type(prepped) and p == prepped
                ]
                raw = str(param.field.get_db_prep_value(probe, connection, prepared=False))
                if not found or raw in sql or _inside(raw, sql_params, found):
                    raise NotPreparable(
                        f"{name!r} is not compared as a plain value in {queryset.model.__name__}"
                    )
                places[name].append(found)
        select, klass_info = compiler.select, compiler.klass_info
        if klass_info is None:
            raise NotPreparable("the query selects no model")
        fields = [s[0] for s in select[0 : compiler.col_count]]
        converters = [
            (i, funcs, expression)
            for i, (funcs, expression) in compiler.get_converters(fields).items()
        ]
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        fetch_mode = queryset._fetch_mode  # type: ignore[attr-defined]
        model = klass_info["model"]
        return _Plan(
            sql=sql,
            params=sql_params,
            places=places,
            db=using,
            init_list=[f[0].target.attname for f in select[start:end]],
            start=start,
            end=end,
            converters=converters,
            related=get_related_populators(klass_info, select, using, fetch_mode),
            annotations=dict(compiler.annotation_col_map or {}),
            fetch_mode=fetch_mode,
            from_db=model.from_db,
        )

    def _instances(self, plan: _Plan, rows: Iterable[Sequence[Any]], connection: Any) -> list[M]:
        out: list[M] = []
        peers: list[Any] = []
        track = plan.fetch_mode.track_peers
        for raw in rows:
            row = list(raw)
            for i, funcs, expression in plan.converters:
                value = row[i]
                for func in funcs:
                    value = func(value, expression, connection)
                row[i] = value
            obj = plan.from_db(
                plan.db, plan.init_list, row[plan.start : plan.end], fetch_mode=plan.fetch_mode
            )
            if track:
                peers.append(weakref.ref(obj))
                obj._state.peers = peers  # type: ignore[attr-defined]
            for populator in plan.related:
                populator.populate(row, obj)
            for attr, pos in plan.annotations.items():
                setattr(obj, attr, row[pos])
            out.append(obj)  # type: ignore[arg-type]
        return out


def _inside(text: str, params: list[Any], exact: list[int]) -> bool:
    """Whether the probe also appears transformed (inside another parameter)."""
    return any(i not in exact and isinstance(p, str) and text in p for i, p in enumerate(params))
