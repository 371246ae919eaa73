"""A prepared query (`apps/core/prepared.py`) runs the SQL Django compiles,
compiled once, and makes the records Django makes; whatever it cannot be
sure of is compiled by Django as usual."""

from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from apps.components.models import Component
from apps.core.api.filters import build_filterset
from apps.core.api.viewsets import (
    EntityViewSet,
    entity_count_query,
    entity_page_query,
    entity_queryset,
    entity_record_query,
)
from apps.core.models import Tag, User
from apps.core.prepared import PreparedCount, PreparedQuery, value_slots, with_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def components(user):
    made = [
        Component.objects.create(
            name=name, part_number=part, unit_cost="2.50", created_by=user, updated_by=user
        )
        for name, part in (("Sensor", "P-1"), ("Relay", "P-2"))
    ]
    made[0].tags.set([Tag.objects.create(name="i2c"), Tag.objects.create(name="spi")])
    return made


def record_state(record) -> dict:
    """The columns, the annotations and the related records read with it."""
    values = {k: v for k, v in vars(record).items() if not k.startswith("_")}
    related = {
        name: other and {k: v for k, v in vars(other).items() if not k.startswith("_")}
        for name, other in record._state.fields_cache.items()
    }
    return {"values": values, "related": related, "adding": record._state.adding}


def compiles():
    """Counts Django's compiles of a select (the prepared SQL is not one)."""
    return mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql)


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


def test_the_sql_is_compiled_once(components):
    query = PreparedQuery(
        Component, lambda pk: Component.objects.select_related("created_by").filter(pk=pk), int
    )
    query.fetch(components[0].pk)  # prepares: two compiles with stand-ins
    with compiles() as compile_calls:
        (first,) = query.fetch(components[0].pk)
        (second,) = query.fetch(components[1].pk)
    assert compile_calls.call_count == 0
    assert (first.name, second.name) == ("Sensor", "Relay")


def test_a_value_of_another_type_is_compiled_as_usual(components):
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


def test_a_sliced_query_keeps_one_sql_for_every_page(listed):
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
def test_a_page_read_by_its_ids_first_is_the_same_page(listed, order):
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
def test_a_locked_query_runs_djangos_row_lock_and_only_in_a_transaction(components):
    query = PreparedQuery(Component, lambda v: Component.objects.filter(name=v), str, locked=True)
    with pytest.raises(TransactionManagementError):
        query.fetch("Relay")  # before its SQL is kept
    with transaction.atomic():
        list(Component.objects.filter(name="Relay").select_for_update())
        query.fetch("Relay")  # keeps its SQL
        with CaptureQueriesContext(connection) as captured, compiles() as compiled:
            assert query.fetch("Relay") == [components[1]]
            list(Component.objects.filter(name="Relay").select_for_update())
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


def test_a_viewset_with_a_queryset_of_its_own_reads_through_it(components):
    class OnlyRelays(EntityViewSet):
        model = Component

        def get_queryset(self):
            return super().get_queryset().filter(name="Relay")

    view = OnlyRelays()
    assert view.find_object({"pk": components[1].pk}) == components[1]
    with pytest.raises(Component.DoesNotExist):
        view.find_object({"pk": components[0].pk})
    with pytest.raises(Component.DoesNotExist):
        view.find_object({"public_id": components[0].public_id})


def test_a_prepared_count_runs_djangos_statement_once_compiled(components):
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


# Through the API: the platform's reads that are prepared answer exactly what
# Django's own compile of the same request answers.

LIST = "/api/v1/components/components/"


@pytest.fixture
def listed(components, user):
    more = [
        Component.objects.create(
            name=f"Part {n}", part_number=f"Q-{n}", created_by=user, updated_by=user
        )
        for n in range(4)
    ]
    more[1].status = Component.workflow.archived
    more[1].save()
    return components + more


def answer_and_sql(api, url):
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.json()
    return response.json(), [q["sql"] for q in captured]


def as_djangos_own():
    """The request served with nothing prepared."""
    return mock.patch.multiple(
        EntityViewSet,
        list_shape=None,
        find_object=lambda self, lookup: self.get_queryset().get(**lookup),
    )


def compiled_by_django():
    """The request's prepared reads compiled by Django on every call: the
    same querysets (a search's page found by its ids first), no SQL kept."""
    return mock.patch.object(PreparedQuery, "_kept_for", return_value=None)


@pytest.mark.parametrize(
    "url",
    [
        LIST,
        LIST + "?limit=2",
        LIST + "?limit=2&offset=2",
        LIST + "?offset=4",
        LIST + "?status=DRAFT",
        LIST + "?include_archived=true&limit=3",
        LIST + "?ordering=name",
        LIST + "?search=sens",
        LIST + "?search=%20PART%20&limit=2&offset=1",
        LIST + "?search=",
        LIST + "?search=50%25",
        LIST + "?search=t_1",
        LIST + "?search=part&search=relay",
        LIST + "?search=part&status=DRAFT",
        LIST + "?search={public_id_lower}",
        "{record}",
        "{public_id}",
    ],
)
def test_a_prepared_read_answers_what_djangos_compile_answers(api, listed, url):
    url = url.format(
        record=f"{LIST}{listed[0].pk}/",
        public_id=f"{LIST}{listed[1].public_id}/",
        public_id_lower=listed[1].public_id.lower(),
    )
    api.get(url)  # prepares
    answer, sql = answer_and_sql(api, url)
    with compiled_by_django():
        compiled_answer, compiled_sql = answer_and_sql(api, url)
    with as_djangos_own():
        djangos_answer, djangos_sql = answer_and_sql(api, url)
    assert answer == compiled_answer == djangos_answer
    assert sql == compiled_sql
    if "search=" not in url:  # a search's page is read by its ids first
        assert sql == djangos_sql


def test_a_searchs_page_is_found_by_ids_before_its_records_are_read(api, listed):
    # The matches are sorted as ids; authors and tags are read for the page alone.
    url = LIST + "?search=part&limit=2&offset=1"
    api.get(url)  # prepares
    answer, sql = answer_and_sql(api, url)
    [page] = [q for q in sql if "OFFSET" in q]
    assert [r["name"] for r in answer["results"]] == ["Part 2", "Part 0"]
    records, ids = page.split(' WHERE "components_component"."id" IN (SELECT ')
    assert "LIKE" in ids
    assert "LIMIT 3 OFFSET 1)" in ids  # a row past the page tells of the next
    assert "LIKE" not in records
    assert "JOIN" in records
    assert "JOIN" not in ids


@pytest.mark.postgres  # elsewhere a search is counted by its queryset
def test_a_list_read_prepared_never_builds_the_filter_it_does_not_read(api, listed):
    # A search's page and count run kept SQL; Django resolving its expressions
    # into a filter nobody reads cost 5 % of a search's CPU.
    def filters_built(url):
        api.get(url)  # prepares
        with mock.patch.object(Query, "add_q", autospec=True, side_effect=Query.add_q) as add_q:
            response = api.get(url)
        assert response.status_code == 200
        return [str(call.args[1]) for call in add_q.call_args_list]

    assert not [q for q in filters_built(LIST + "?search=part&limit=2") if "search_text" in q]


def test_pages_and_counts_of_the_whole_list_and_of_searches_are_prepared(api, listed, settings):
    entity_page_query.cache_clear()
    entity_count_query.cache_clear()
    for url in ("?limit=2&offset=2", "?search=part&limit=1", "?status=DRAFT", "?ordering=name"):
        api.get(LIST + url)
    assert entity_page_query.cache_info().currsize == 2
    assert entity_page_query(Component, "all")._kept["default"] is not None
    assert entity_page_query(Component, "search")._kept["default"] is not None
    assert entity_count_query(Component, "all")._kept["default"] is not None
    if connection.vendor == "postgresql":  # elsewhere a search is counted exactly
        cap = settings.API_COUNT_CAP
        assert entity_count_query(Component, "search", cap + 1)._kept["default"] is not None


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


def view_for(viewset, url, action="list"):
    view = viewset()
    view.action, view.request = action, Request(APIRequestFactory().get(url))
    return view


class Narrowing(EntityViewSet):
    model = Component

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).filter(name="Relay")


class OwnFilterSet(build_filterset(Component)):
    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).filter(name="Relay")


class Filtering(EntityViewSet):
    model = Component
    filterset_class = OwnFilterSet


class OwnList(EntityViewSet):
    model = Component

    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class OwnSearch(build_filterset(Component)):
    def filter_search(self, queryset, name, value):
        return queryset.filter(name=value)


class Searching(EntityViewSet):
    model = Component
    filterset_class = OwnSearch


def test_only_the_platforms_own_whole_list_and_search_are_read_prepared():
    class Plain(EntityViewSet):
        model = Component

    assert view_for(Plain, LIST + "?limit=5&offset=10").list_shape == ("all", "ARCHIVED")
    assert view_for(Plain, LIST + "?search=%20x%20&limit=5").list_shape == ("search", "x")
    assert view_for(Plain, LIST + "?search=cmp-0042").list_shape == ("search", "cmp-0042")
    for url in (
        "?search=",
        "?search=a&search=b",
        "?ordering=name",
        "?search=a&tag=b",
        "?search=a%00",
    ):
        assert view_for(Plain, LIST + url).list_shape is None, url
    assert view_for(Plain, LIST, action="history").list_shape is None
    for viewset in (Narrowing, Filtering, OwnList, Searching):
        assert view_for(viewset, LIST).list_shape is None, viewset
    assert view_for(Searching, LIST + "?search=x").list_shape is None


@pytest.mark.postgres  # elsewhere a record's tags are a query of their own, compiled as usual
@pytest.mark.parametrize("lookup", ["pk", "public_id"])
def test_a_write_to_a_record_compiles_no_select(api, listed, lookup):
    # The row lock and the record's read are both prepared: after the first
    # write, a write by id or public id compiles only its own statements.
    url = f"{LIST}{getattr(listed[0], lookup)}/"
    api.patch(url, {"quantity_on_hand": 1}, format="json")  # prepares
    with compiles() as compiled:
        response = api.patch(url, {"quantity_on_hand": 2}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["quantity_on_hand"] == 2
    assert compiled.call_count == 0


def test_a_list_read_prepared_is_not_put_through_the_filterset(api, listed):
    with mock.patch.object(
        DjangoFilterBackend,
        "filter_queryset",
        autospec=True,
        side_effect=DjangoFilterBackend.filter_queryset,
    ) as filtered:
        for url in ("?limit=2&offset=1", "?search=part"):
            assert api.get(LIST + url).status_code == 200
        assert filtered.call_count == 0
        assert api.get(LIST + "?status=DRAFT").status_code == 200
        assert filtered.call_count == 1


def test_a_search_the_filter_refuses_is_a_400_naming_it(api, listed):
    response = api.get(LIST + "?search=a%00b")
    assert response.status_code == 400
    assert response.json()["errors"] == {"search": ["Null characters are not allowed."]}


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
