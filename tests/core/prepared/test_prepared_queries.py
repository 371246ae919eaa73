"""A prepared query (`apps/core/prepared.py`) runs the SQL Django compiles,
compiled once, and makes the records Django makes; whatever it cannot be
sure of is compiled by Django as usual."""

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from apps.components.models import Component
from apps.core.api.reads import entity_queryset, entity_record_query
from apps.core.models import User
from apps.core.prepared import (
    PreparedCount,
    PreparedCountedPage,
    PreparedQuery,
    value_slots,
    with_value,
)

pytestmark = pytest.mark.django_db


def record_state(record) -> dict:
    """The columns, the annotations and the related records read with it."""
    values = {k: v for k, v in vars(record).items() if not k.startswith("_")}
    related = {
        name: other and {k: v for k, v in vars(other).items() if not k.startswith("_")}
        for name, other in record._state.fields_cache.items()
    }
    return {"values": values, "related": related, "adding": record._state.adding}


@pytest.mark.parametrize("field", ["pk", "public_id"])
def test_a_prepared_lookup_runs_djangos_sql_and_makes_djangos_records(components, field):
    query = entity_record_query(Component, field)
    for record in components:
        value = getattr(record, field)
        with CaptureQueriesContext(connection) as djangos_sql:
            expected = entity_queryset(Component).get(**{field: value})
        with CaptureQueriesContext(connection) as prepared_sql:
            found = query.get(value)
        assert [q["sql"] for q in prepared_sql] == [q["sql"] for q in djangos_sql]
        assert record_state(found) == record_state(expected)
        assert sorted(found.tag_names) == sorted(record.tags.values_list("name", flat=True))


def test_the_sql_is_compiled_once(components, compiles):
    query = PreparedQuery(
        Component, lambda pk: Component.objects.select_related("created_by").filter(pk=pk), int
    )
    query.fetch(components[0].pk)  # prepares: two compiles with stand-ins
    with compiles() as compile_calls:
        (first,) = query.fetch(components[0].pk)
        (second,) = query.fetch(components[1].pk)
    assert compile_calls.call_count == 0
    assert (first.name, second.name) == ("Sensor", "Relay")


def test_a_value_of_another_type_is_compiled_as_usual(components, compiles):
    query = PreparedQuery(Component, lambda pk: Component.objects.filter(pk=pk), int)
    query.fetch(components[0].pk)
    with compiles() as compile_calls:
        (found,) = query.fetch(str(components[1].pk))
    assert compile_calls.call_count == 1
    assert found == components[1]


@pytest.mark.parametrize(
    ("build", "value", "names"),
    [
        # Django writes the value into the parameter changed: `%Sens%`.
        (lambda v: Component.objects.filter(name__icontains=v), "Sens", ["Sensor"]),
        # The value in another parameter too, changed.
        (
            lambda n: Component.objects.filter(Q(quantity_on_hand=n) | Q(part_number=f"P-{n}")),
            2,
            ["Relay"],
        ),
        # The value written into the SQL itself as well (the LIMIT).
        (
            lambda n: Component.objects.filter(quantity_on_hand__lte=n).order_by("name")[
                : abs(n) % 5
            ],
            1,
            ["Relay"],
        ),
        # No SQL at all: nothing can match.
        (lambda v: Component.objects.filter(pk__in=[]).filter(name=v), "Sensor", []),
    ],
    ids=["changed value", "value changed elsewhere", "value in the SQL", "no SQL"],
)
def test_a_query_whose_sql_depends_on_its_values_is_not_kept(components, build, value, names):
    query = PreparedQuery(Component, build, type(value))
    for _ in range(2):
        assert [c.name for c in query.fetch(value)] == names
    assert query._kept == {"default": None}


def test_a_query_using_its_value_twice_is_kept_with_the_value_in_both_places(components):
    def build(value):
        return Component.objects.filter(Q(name=value) | Q(part_number=value))

    query, count = PreparedQuery(Component, build, str), PreparedCount(Component, build, str)
    for value, names in (("P-2", ["Relay"]), ("Sensor", ["Sensor"]), ("neither", [])):
        assert [c.name for c in query.fetch(value)] == names
        assert count.count(value) == len(names)
    assert len(query._kept["default"].slots) == 2
    assert len(count._kept["default"][2]) == 2


def test_a_sliced_query_keeps_one_sql_for_every_page(listed, compiles):
    ordered = Component.objects.order_by("name")
    query = PreparedQuery(Component, lambda v: ordered.exclude(name=v), str, sliced=True)
    for start, stop in ((0, 2), (2, 5), (5, 50), (1, 2)):
        with CaptureQueriesContext(connection) as djangos_sql:
            expected = list(ordered.exclude(name="Relay")[start:stop])
        with CaptureQueriesContext(connection) as prepared_sql:
            assert query.fetch("Relay", start, stop) == expected
        assert prepared_sql[0]["sql"] == djangos_sql[0]["sql"]
    with compiles() as compile_calls:
        query.fetch("Sensor", 3, 4)
    assert compile_calls.call_count == 0


@pytest.mark.parametrize("order", [(), ("name",), ("-quantity_on_hand", "-pk")])
def test_a_page_read_by_its_ids_first_is_the_same_page(listed, order, compiles):
    # Its ids from a subquery holding the page's LIMIT / OFFSET, then the
    # records with those ids from a queryset without the filters, in order.
    ordered = Component.objects.order_by(*order) if order else Component.objects.all()
    query = PreparedQuery(
        Component,
        lambda v: ordered.exclude(name=v),
        str,
        sliced=True,
        ids_first=lambda: Component.objects.select_related("created_by"),
    )
    for start, stop in ((0, 2), (2, 5), (5, 50), (1, 2), (0, 50)):
        expected = list(ordered.exclude(name="Relay")[start:stop])
        with CaptureQueriesContext(connection) as captured:
            assert query.fetch("Relay", start, stop) == expected
        [sql] = [q["sql"] for q in captured]
        outer, subquery = sql.split(' WHERE "components_component"."id" IN (SELECT U0."id"')
        assert "LIMIT" not in outer
        assert connection.ops.limit_offset_sql(start, stop) + ")" in subquery
    assert query._kept["default"] is not None
    with compiles() as compile_calls:
        query.fetch("Sensor", 3, 4)
    assert compile_calls.call_count == 0


def counted_page(ordered):
    return PreparedCountedPage(
        Component,
        lambda v: ordered.exclude(name=v),
        str,
        records=lambda: Component.objects.select_related("created_by"),
    )


@pytest.mark.parametrize("order", [(), ("name",), ("-quantity_on_hand", "-pk")])
@pytest.mark.parametrize(
    ("start", "stop", "up_to"), [(0, 2, 3), (0, 2, 10), (2, 5, 3), (3, 5, 1), (1, 2, 2)]
)
def test_a_counted_page_is_the_same_page_and_counts_its_list_up_to_a_limit(
    listed, order, start, stop, up_to
):
    # Five rows are not "Relay"; they are counted up to the limit, or to the
    # page's end when that is further.
    ordered = Component.objects.order_by(*order) if order else Component.objects.all()
    query = counted_page(ordered)
    expected = list(ordered.select_related("created_by").exclude(name="Relay")[start:stop])
    with CaptureQueriesContext(connection) as captured:
        records, counted = query.fetch("Relay", start, stop, up_to=up_to)
    assert records == expected
    assert [record_state(r) for r in records] == [record_state(r) for r in expected]
    assert counted == min(5, max(up_to, stop))
    assert len(captured) == 1


def test_a_counted_page_keeps_one_sql_for_every_page(listed, compiles):
    query = counted_page(Component.objects.order_by("name"))
    query.fetch("Relay", 0, 2, up_to=3)
    assert query._kept["default"] is not None
    with compiles() as compile_calls:
        records, counted = query.fetch("Sensor", 3, 4, up_to=1001)
    assert compile_calls.call_count == 0
    assert ([r.name for r in records], counted) == (["Part 3"], 5)
    # The bounds are parameters of the one SQL kept.
    assert '"n" > %s AND "n" <= %s' in query._kept["default"].sql


def test_a_counted_page_of_a_value_of_another_type_is_composed_afresh(listed, compiles):
    query = PreparedCountedPage(
        Component,
        lambda v: Component.objects.exclude(pk=v).order_by("pk"),
        int,
        records=Component.objects.all,
    )
    assert query.fetch(listed[0].pk, 0, 1, up_to=10) == ([listed[1]], 5)
    with compiles() as compile_calls:
        assert query.fetch(str(listed[1].pk), 0, 1, up_to=10) == ([listed[0]], 5)
    assert compile_calls.call_count == 2  # the numbered ids, the records


def test_an_empty_counted_page_tells_no_count(listed):
    query = counted_page(Component.objects.all())
    assert query.fetch("Relay", 10, 12, up_to=3) == ([], None)
    assert query.fetch("Relay", 0, 2, up_to=3)[1] == 3


def test_a_counted_page_is_of_a_list_neither_sliced_nor_locked(listed):
    with pytest.raises(ValueError, match="start < stop"):
        counted_page(Component.objects.all()).fetch("x", 2, 2, up_to=3)
    for build in (
        lambda v: Component.objects.all()[:3],
        lambda v: Component.objects.values("pk"),
    ):
        query = PreparedCountedPage(Component, build, str, records=Component.objects.all)
        with pytest.raises(TypeError, match="not sliced"):
            query.fetch("x", 0, 1, up_to=3)


def test_only_a_sliced_query_reads_its_ids_first():
    with pytest.raises(TypeError, match="sliced"):
        PreparedQuery(Component, lambda v: Component.objects.all(), str, ids_first=lambda: None)


@pytest.mark.parametrize(("cut", "start", "stop", "names"), [(3, 1, 10, 2), (10, 0, 20, 5)])
def test_a_query_sliced_by_its_build_is_not_kept_as_one_for_every_page(
    listed, cut, start, stop, names
):
    # With [:10], both stand-in slices fall within the build's own; a page
    # past it would not.
    ordered = Component.objects.order_by("name")
    query = PreparedQuery(Component, lambda v: ordered.exclude(name=v)[:cut], str, sliced=True)
    assert len(query.fetch("Relay", start, stop)) == names
    assert query._kept == {"default": None}


def test_a_slice_is_read_only_from_a_sliced_query(components):
    with pytest.raises(ValueError, match="start < stop"):
        PreparedQuery(Component, lambda v: Component.objects.all(), str, sliced=True).fetch("x")
    with pytest.raises(TypeError, match="sliced"):
        PreparedQuery(Component, lambda v: Component.objects.all(), str).fetch("x", 0, 1)


def test_a_query_that_locks_its_rows_is_not_kept(components):
    # Django checks for a transaction as it compiles a row lock, so a lock
    # must be compiled on every call.
    query = PreparedQuery(
        Component, lambda v: Component.objects.select_for_update().filter(name=v), str
    )
    with transaction.atomic():
        assert query.fetch("Relay") == [components[1]]
    assert query._kept == {"default": None}


@pytest.mark.django_db(transaction=True)  # so that the test can be outside one
def test_a_locked_query_runs_djangos_row_lock_and_only_in_a_transaction(components, compiles):
    query = PreparedQuery(Component, lambda v: Component.objects.filter(name=v), str, locked=True)
    with pytest.raises(TransactionManagementError):
        query.fetch("Relay")  # before its SQL is kept
    with transaction.atomic():
        list(Component.objects.filter(name="Relay").select_for_update(of=("self",)))
        query.fetch("Relay")  # keeps its SQL
        with CaptureQueriesContext(connection) as captured, compiles() as compiled:
            assert query.fetch("Relay") == [components[1]]
            list(Component.objects.filter(name="Relay").select_for_update(of=("self",)))
    assert compiled.call_count == 1  # Django's own
    assert captured[0]["sql"] == captured[1]["sql"]
    assert query._kept["default"] is not None
    with pytest.raises(TransactionManagementError):
        query.fetch("Relay")  # and after


def test_a_query_of_anything_but_records_is_not_kept(components):
    query = PreparedQuery(Component, lambda v: Component.objects.filter(name=v).values("pk"), str)
    assert query.fetch("Sensor") == [{"pk": components[0].pk}]
    assert query._kept == {"default": None}


def test_get_answers_as_querysets_get_does(components):
    query = PreparedQuery(Component, lambda v: Component.objects.filter(unit_cost=v), str)
    with pytest.raises(Component.DoesNotExist):
        query.get("9.99")
    with pytest.raises(Component.MultipleObjectsReturned):
        query.get("2.50")
    query = PreparedQuery(Component, lambda v: Component.objects.filter(name=v), str)
    assert query.get("Relay") == components[1]


def test_a_prepared_count_runs_djangos_statement_once_compiled(components, compiles):
    query = PreparedCount(Component, lambda name: Component.objects.exclude(name=name), str)
    assert query.count("Sensor") == 1  # prepares
    with CaptureQueriesContext(connection) as djangos_sql:
        expected = Component.objects.exclude(name="Relay").count()
    with compiles() as compile_calls, CaptureQueriesContext(connection) as prepared_sql:
        assert query.count("Relay") == expected == 1
        assert query.count("Neither") == 2
    assert compile_calls.call_count == 0
    assert prepared_sql[0]["sql"] == djangos_sql[0]["sql"]


@pytest.mark.parametrize(
    ("build", "value", "expected"),
    [
        (lambda v: Component.objects.filter(name__icontains=v), "Sens", 1),
        (lambda v: Component.objects.filter(pk__in=[]).filter(name=v), "Sensor", 0),
    ],
    ids=["changed value", "no SQL"],
)
def test_a_count_whose_sql_depends_on_its_value_is_not_kept(components, build, value, expected):
    query = PreparedCount(Component, build, type(value))
    for _ in range(2):
        assert query.count(value) == expected
    assert query._kept == {"default": None}


def test_a_count_keeps_the_count_not_what_building_its_queryset_reads(components, user):
    def build(name):
        author = User.objects.get(username="alice")  # a query of its own, before the count
        return Component.objects.filter(created_by=author).exclude(name=name)

    query = PreparedCount(Component, build, str)
    assert [query.count(name) for name in ("Sensor", "Relay", "Neither")] == [1, 1, 2]
    assert "COUNT(*)" in query._kept["default"][0]


def test_a_count_of_a_value_of_another_type_is_counted_as_usual(components):
    query = PreparedCount(Component, lambda pk: Component.objects.filter(pk__gte=pk), int)
    assert query.count(components[1].pk) == 1
    assert query.count(str(components[0].pk)) == 2


def test_a_value_used_more_than_once_is_kept_in_each_of_its_places():
    stand_ins = ("one", "two")
    first, second = ("SQL", ("one", 5, "one")), ("SQL", ("two", 5, "two"))
    assert value_slots(first, second, stand_ins) == (0, 2)
    assert with_value(("one", 5, "one"), (0, 2), "term") == ("term", 5, "term")
    # Any other difference, or none at all, and the SQL is not kept.
    assert value_slots(first, ("SQL", ("two", 6, "two")), stand_ins) is None
    assert value_slots(first, ("SQL", ("two", 5, "one")), stand_ins) == (0,)
    assert value_slots(first, first, stand_ins) is None
    assert value_slots(first, ("SQL2", ("two", 5, "two")), stand_ins) is None


@pytest.mark.postgres
def test_a_stand_in_the_database_refuses_leaves_the_transaction_usable(components):
    # Text compared with an integer column: PostgreSQL refuses the stand-in.
    query = PreparedCount(
        Component,
        lambda v: Component.objects.extra(where=["quantity_on_hand = %s"], params=[v]),
        str,
    )
    with transaction.atomic():
        assert query._kept_for("default", "x") is None
        assert Component.objects.count() == 2
