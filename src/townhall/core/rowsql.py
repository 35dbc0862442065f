"""Whole-row reads for the posting path with SQL written once, not compiled on every call.

Compiling a QuerySet costs several times more than running it for the one-row lookups every
post makes (token, story, author history). `RowSelect` writes the SELECT for one model or a
join of several once per database vendor, then each call only runs it and builds instances
with `Model.from_db`, applying the same converters the ORM applies (datetimes on SQLite, JSON
fields). Use it only where a profile shows the compilation; everything else uses the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

Converter = Callable[[Any, Any, Any], Any]


class RowSelect:
    """`SELECT <every column of each model> FROM <from_sql> WHERE <where_sql>`, the SQL in
    the dialect both backends share (%s parameters). The SQL names each model's table as
    `{Model}` (the class name), so no table name is written by hand."""

    def __init__(self, models: Sequence[type[Model]], from_sql: str, where_sql: str) -> None:
        self.models = list(models)
        self.from_sql = from_sql
        self.where_sql = where_sql
        self._plans: dict[str, tuple[str, list[tuple[type[Model], list[str],
                                                     list[list[tuple[Converter, Any]]]]]]] = {}

    def _plan(self) -> tuple[str, list[tuple[type[Model], list[str],
                                             list[list[tuple[Converter, Any]]]]]]:
        vendor = connection.vendor
        plan = self._plans.get(vendor)
        if plan is not None:
            return plan
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
        tables = {model.__name__: table(model) for model in self.models}
        from_sql, where_sql = self.from_sql.format(**tables), self.where_sql.format(**tables)
        sql = f"SELECT {', '.join(columns)} FROM {from_sql} WHERE {where_sql}"  # noqa: S608
        self._plans[vendor] = plan = (sql, parts)
        return plan

    def fetch(self, params: Sequence[Any], *, limit: int | None = None) -> list[list[Model]]:
        """Run the SELECT; return one list of instances (one per model) for each row."""
        sql, parts = self._plan()
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
