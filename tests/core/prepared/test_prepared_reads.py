"""The platform's reads through the API, prepared (`EntityViewSet`:
`find_object()`, `read_page()`, `count_rows()`): they answer exactly what
Django's own compile of the same request answers, and only the platform's own
whole list and search are read so."""

from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.sql.query import Query
from django.test.utils import CaptureQueriesContext
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from apps.components.models import Component
from apps.core.api.filters import build_filterset
from apps.core.api.reads import (
    entity_count_query,
    entity_counted_page_query,
    entity_page_query,
    lockable,
    shared_entity_queryset,
)
from apps.core.api.viewsets import EntityViewSet
from apps.core.prepared import _Prepared

pytestmark = pytest.mark.django_db

LIST = "/api/v1/components/components/"


class OnlyRelays(EntityViewSet):
    model = Component

    def get_queryset(self):
        return super().get_queryset().filter(name="Relay")


def test_a_viewset_with_a_queryset_of_its_own_reads_through_it(components):
    view = OnlyRelays()
    assert view.find_object({"pk": components[1].pk}) == components[1]
    with pytest.raises(Component.DoesNotExist):
        view.find_object({"pk": components[0].pk})
    with pytest.raises(Component.DoesNotExist):
        view.find_object({"public_id": components[0].public_id})


def test_a_write_locks_and_reads_its_record_in_one_statement(components):
    view = EntityViewSet()
    view.model = Component
    lookup = {"public_id": components[0].public_id}
    with transaction.atomic():
        with CaptureQueriesContext(connection) as locking:
            record = view.lock_record(lookup)
        with CaptureQueriesContext(connection) as finding:
            assert view.find_object(lookup) is record
        assert view.find_object(lookup) == record  # taken once: read again after
    assert sorted(record.tag_names) == ["i2c", "spi"]
    assert record.created_by.display_name == components[0].created_by.display_name
    if connection.vendor == "postgresql":  # elsewhere, the tags apart and no row lock
        [statement] = [q["sql"] for q in locking]
        assert statement.endswith('FOR UPDATE OF "components_component"')
    assert finding.captured_queries == []


def test_a_viewset_with_a_queryset_of_its_own_locks_then_reads_through_it(components):
    view = OnlyRelays()
    lookup = {"pk": components[0].pk}
    with transaction.atomic():
        locked = view.lock_record(lookup)
        assert locked.pk == components[0].pk
        assert "name" in locked.get_deferred_fields()  # its version alone
        with pytest.raises(Component.DoesNotExist):
            view.find_object(lookup)


def test_a_write_to_a_model_whose_manager_groups_locks_then_reads(api, components):
    # PostgreSQL locks no row of a grouped query: such a record is locked
    # alone, then read.
    grouped = Component.objects.annotate(tag_count=Count("tags"))
    with mock.patch.object(type(Component.objects), "get_queryset", return_value=grouped):
        lockable.cache_clear()
        shared_entity_queryset.cache_clear()
        try:
            response = api.patch(
                f"{LIST}{components[0].pk}/", {"supplier": "Mouser"}, format="json"
            )
        finally:
            lockable.cache_clear()
            shared_entity_queryset.cache_clear()
    assert response.status_code == 200, response.json()
    assert response.json()["supplier"] == "Mouser"


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
    return mock.patch.object(_Prepared, "_kept_for", return_value=None)


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
    assert [r["name"] for r in answer["results"]] == ["Part 2", "Part 0"]
    [page] = [q for q in sql if "LIKE" in q]
    if connection.vendor == "postgresql":  # numbered, with the count (below)
        ids, records = page.split('"page_rows" AS (')
        assert "LIMIT 1001)" in ids  # the list's first rows, up to the count's limit
        assert '"n" > 1 AND "n" <= 4)' in records  # a row past the page tells of the next
    else:
        records, ids = page.split(' WHERE "components_component"."id" IN (SELECT ')
        assert "LIMIT 3 OFFSET 1)" in ids  # a row past the page tells of the next
    assert "LIKE" in ids
    assert "LIKE" not in records
    assert "JOIN" in records
    assert "JOIN" not in ids


@pytest.mark.postgres  # elsewhere a search is counted exactly, by its queryset
@pytest.mark.parametrize(
    ("cap", "url", "names", "count", "is_estimate"),
    [
        (1000, "?search=part&limit=1", ["Part 3"], 3, False),
        (1000, "?search=part&limit=1&offset=1", ["Part 2"], 3, False),
        (3, "?search=part&limit=1", ["Part 3"], 3, False),
        (2, "?search=part&limit=1", ["Part 3"], 2, True),
        # The page reaches past the cap: its rows are numbered to its end.
        (1, "?search=part&limit=1&offset=1", ["Part 2"], 1, True),
        (1, "?search=part&limit=2&offset=1", ["Part 2", "Part 0"], 3, False),
    ],
)
def test_a_searchs_capped_count_is_read_in_its_pages_statement(
    api, listed, settings, cap, url, names, count, is_estimate
):
    settings.API_COUNT_CAP = cap
    api.get(LIST + url)  # prepares
    answer, sql = answer_and_sql(api, LIST + url)
    assert [r["name"] for r in answer["results"]] == names
    assert (answer["count"], answer["count_is_estimate"]) == (count, is_estimate)
    [statement] = [q for q in sql if "LIKE" in q]  # no count of its own
    assert "COUNT(*)" in statement


@pytest.mark.postgres
def test_a_searchs_empty_page_past_its_start_is_counted_on_its_own(api, listed):
    api.get(LIST + "?search=part&offset=10")  # prepares
    answer, sql = answer_and_sql(api, LIST + "?search=part&offset=10")
    assert (answer["results"], answer["count"], answer["count_is_estimate"]) == ([], 3, False)
    assert len([q for q in sql if "LIKE" in q]) == 2


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


@pytest.mark.postgres  # elsewhere a search is counted by its queryset
def test_a_search_read_prepared_builds_no_filter_at_all(api, listed):
    # The records a search looks in (not archived) are built once per model,
    # like the list's queryset, not filtered anew on every request.
    url = LIST + "?search=part&limit=2"
    api.get(url)  # prepares
    with mock.patch.object(Query, "add_q", autospec=True, side_effect=Query.add_q) as add_q:
        assert api.get(url).status_code == 200
    assert add_q.call_args_list == []


def test_a_search_sees_the_records_archived_since_the_last(api, listed):
    # ... and that queryset is never read itself: every search reads anew.
    url = LIST + "?search=part&limit=50"
    before = {row["public_id"] for row in api.get(url).json()["results"]}
    record = Component.objects.get(public_id=sorted(before)[0])
    record.status = Component.workflow.archived
    record.save()
    after = {row["public_id"] for row in api.get(url).json()["results"]}
    assert after == before - {record.public_id}


def test_pages_and_counts_of_the_whole_list_and_of_searches_are_prepared(api, listed):
    for query in (entity_page_query, entity_counted_page_query, entity_count_query):
        query.cache_clear()
    for url in ("?limit=2&offset=2", "?search=part&limit=1", "?status=DRAFT", "?ordering=name"):
        api.get(LIST + url)
    assert entity_page_query(Component, "all")._kept["default"] is not None
    assert entity_count_query(Component, "all")._kept["default"] is not None
    if connection.vendor == "postgresql":  # a search's page holds its capped count
        search_page = entity_counted_page_query(Component, "search")
    else:  # which elsewhere is exact, and counted on its own
        search_page = entity_page_query(Component, "search")
    assert search_page._kept["default"] is not None
    assert (
        entity_page_query.cache_info().currsize + entity_counted_page_query.cache_info().currsize
        == 2
    )


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
def test_a_write_to_a_record_compiles_no_select(api, listed, lookup, compiles):
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
