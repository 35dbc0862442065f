"""Rows read and written on the posting path with SQL written once, not compiled every call.

Compiling a QuerySet costs several times more than running it for the one-row lookups every
post makes (token, story, author history). `RowSelect` writes the SELECT for one model or a
join of several once per database vendor, then each call only runs it and builds instances
with `Model.from_db`, applying the same converters the ORM applies (datetimes on SQLite, JSON
fields). `RowValues` reads one column, `RowExists` asks whether a row matches; `RowInsert`
inserts an instance as `Model.save()` would (the fields' `pre_save` and `get_db_prep_save`,
the new key read back) but sends no `pre_save`/`post_save` signal, so use it only for models
no receiver watches.
Use these only where a profile shows the compilation; everything else uses the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

Converter = Callable[[Any, Any, Any], Any]
Plan = tuple[str, list[tuple[type[Model], list[str], list[list[tuple[Converter, Any]]]]]]
_Built = TypeVar("_Built")


class _WrittenOnce:
    """What a statement needs (its SQL, its converters), built on first use for each
    database vendor and kept."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def _once(self, build: Callable[[], _Built]) -> _Built:
        found = self._built.get(connection.vendor)
        if found is None:
            found = self._built[connection.vendor] = build()
        return found


def _named(text: str, models: Sequence[type[Model]]) -> str:
    """The caller's fixed SQL with each `{Model}` replaced by that model's quoted table."""
    return text.format(**{model.__name__: table(model) for model in models})


class RowSelect(_WrittenOnce):
    """`SELECT <every column of each model> FROM <from_sql> WHERE <where_sql>`, the SQL in
    the dialect both backends share (%s parameters). The SQL names each model's table as
    `{Model}` (the class name), so no table name is written by hand."""

    def __init__(self, models: Sequence[type[Model]], from_sql: str, where_sql: str) -> None:
        super().__init__()
        self.models = list(models)
        self.from_sql = from_sql
        self.where_sql = where_sql

    def _plan(self) -> Plan:
        quote = connection.ops.quote_name
        columns: list[str] = []
        parts = []
        for model in self.models:
            db_table = model._meta.db_table
            names, converters = [], []
            for field in model._meta.concrete_fields:
                col, funcs = _column_converters(field, db_table)
                columns.append(f"{quote(db_table)}.{quote(str(field.column))}")
                names.append(field.attname)
                converters.append([(c, col) for c in funcs])
            parts.append((model, names, converters))
        # The SQL is the caller's fixed text and the models' own names; values go in params.
        from_sql = _named(self.from_sql, self.models)
        where_sql = _named(self.where_sql, self.models)
        return f"SELECT {', '.join(columns)} FROM {from_sql} WHERE {where_sql}", parts  # noqa: S608

    def fetch(self, params: Sequence[Any], *, limit: int | None = None) -> list[list[Model]]:
        """Run the SELECT; return one list of instances (one per model) for each row."""
        sql, parts = self._once(self._plan)
        if limit is not None:
            sql = f"{sql} LIMIT {int(limit)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            rows = cursor.fetchall()
        found = []
        for row in rows:
            instances = []
            offset = 0
            for model, names, converters in parts:
                values = list(row[offset:offset + len(names)])
                offset += len(names)
                for index, funcs in enumerate(converters):
                    for func, col in funcs:
                        values[index] = func(values[index], col, connection)
                instances.append(model.from_db(connection.alias, names, values))
            found.append(instances)
        return found

    def first(self, params: Sequence[Any]) -> list[Model] | None:
        rows = self.fetch(params, limit=1)
        return rows[0] if rows else None


class RowValues(_WrittenOnce):
    """`SELECT <column> FROM <table> WHERE <where_sql>`, written once per vendor: the raw
    values of one column (keys and other values no converter changes). The SQL names the
    model's table as `{Model}`."""

    def __init__(self, model: type[Model], column: str, where_sql: str, *,
                 limit: int | None = None) -> None:
        super().__init__()
        self.model = model
        self.column = column
        self.where_sql = where_sql
        self.limit = limit

    def _statement(self) -> str:
        where = _named(self.where_sql, [self.model])
        column = connection.ops.quote_name(self.column)
        sql = f"SELECT {column} FROM {table(self.model)} WHERE {where}"  # noqa: S608
        return sql if self.limit is None else f"{sql} LIMIT {int(self.limit)}"

    def __call__(self, params: Sequence[Any]) -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(self._once(self._statement), list(params))
            return [row[0] for row in cursor.fetchall()]


class RowExists(RowValues):
    """Whether a row of the model matches `where_sql`."""

    def __init__(self, model: type[Model], where_sql: str) -> None:
        super().__init__(model, str(model._meta.pk.column), where_sql, limit=1)

    def __call__(self, params: Sequence[Any]) -> bool:  # type: ignore[override]
        return bool(super().__call__(params))


class RowInsert(_WrittenOnce):
    """`INSERT INTO <table> (<every column but an automatic key>) VALUES (...)`, written once.

    `insert(instance)` stores the instance as `instance.save()` would for a new row and sets
    its primary key. With `ignore_conflicts`, a row that breaks a unique constraint is
    skipped (`ON CONFLICT DO NOTHING`, on both backends) and `insert` returns False.
    """

    def __init__(self, model: type[Model], *, ignore_conflicts: bool = False) -> None:
        super().__init__()
        self.model = model
        self.ignore_conflicts = ignore_conflicts
        pk = model._meta.pk
        self.auto_pk = pk is not None and getattr(pk, "db_returning", False)
        self.fields = [f for f in model._meta.concrete_fields
                       if not (self.auto_pk and f.primary_key)]

    def _statement(self) -> str:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(str(f.column)) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        sql = f"INSERT INTO {table(self.model)} ({columns}) VALUES ({marks})"  # noqa: S608
        if self.ignore_conflicts:
            sql += " ON CONFLICT DO NOTHING"
        if self.auto_pk:
            sql += f" RETURNING {quote(str(self.model._meta.pk.column))}"
        return sql

    def insert(self, instance: Model) -> bool:
        """Insert `instance`; return whether a row was written."""
        values = [f.get_db_prep_save(f.pre_save(instance, True), connection)
                  for f in self.fields]
        with connection.cursor() as cursor:
            cursor.execute(self._once(self._statement), values)
            row = cursor.fetchone() if self.auto_pk else None
        if self.auto_pk:
            if row is None:  # skipped by ON CONFLICT DO NOTHING
                return False
            instance.pk = row[0]
        instance._state.adding = False
        instance._state.db = connection.alias
        return True


def _column_converters(field: Any, table: str) -> tuple[Any, list[Converter]]:
    """Return a column expression and the converters the ORM applies to its raw values."""
    col = field.get_col(table)
    return col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)


_field_converters: dict[tuple[type[Model], str, str], Callable[[Any], Any]] = {}


def field_converter(model: type[Model], name: str) -> Callable[[Any], Any]:
    """Return a function turning a raw column value of `model.name` into its Python value
    (built once per database vendor)."""
    key = (model, name, connection.vendor)
    found = _field_converters.get(key)
    if found is not None:
        return found
    col, funcs = _column_converters(model._meta.get_field(name), model._meta.db_table)

    def convert(value: Any) -> Any:
        for func in funcs:
            value = func(value, col, connection)
        return value

    _field_converters[key] = convert
    return convert


def table(model: type[Model]) -> str:
    """Return the model's quoted table name."""
    return connection.ops.quote_name(model._meta.db_table)


def datetime_param(value: Any) -> Any:
    """Adapt a datetime for a hand-written query the way the ORM would."""
    return connection.ops.adapt_datetimefield_value(value)
