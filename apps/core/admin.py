"""Django admin for operators: every entity with its history, and the audit
log read-only. Edits made here are audited with the admin user as actor.

An entity's list stays quick on a table of millions, where Django's admin
reads the whole table three times a page (0.6-1 s at a million rows): its
count is the API's (the planner's estimate when unfiltered and large,
`apps/core/api/counts.py`), a filtered page does not count the whole table
too, the category filter finds its values through
the column's index (`DistinctValuesFilter`), and the tag filter is a join
(`TagFilter`). A form's link to another record is picked by searching
(`get_autocomplete_fields`), and the audit log finds a record's public id
through the index of its history (`entries_of_public_id`); its date
hierarchy finds the years, months or days that hold entries through the
index of their time (`IndexedDateHierarchy`).

An action takes at most BULK_MAX_ITEMS records (1,000), as the API's bulk
writes do: Django's "Select all" of a million records and "Delete" took
longer than any app server waits. Archive and restore are actions too,
through the same audited writes as the API's."""

import datetime
from functools import cache, wraps

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import model_ngettext
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Min
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from simple_history.admin import SimpleHistoryAdmin

from apps.core import services
from apps.core.api.counts import count_rows
from apps.core.auth.admin_login import AdminLoginForm
from apps.core.db import planned_for_values
from apps.core.exceptions import BulkItemsError
from apps.core.integrations import linear_links
from apps.core.models import (
    AuditEntry,
    Entity,
    IdCounter,
    LinearIssueLink,
    SavedView,
    Tag,
    User,
)
from apps.core.models.ids import PUBLIC_ID_PATTERN, format_public_id
from apps.core.models.indexes import distinct_values, leading_index_fields
from apps.core.tools import entity_models

# Sign-in through Auth0, and passwords only while ADMIN_PASSWORD_LOGIN allows them.
admin.site.login_form = AdminLoginForm


class CountingPaginator(Paginator):
    """Pages whose count is the API's for a list: the planner's estimate for
    an unfiltered list of a large table, exact otherwise — or, when `capped`,
    exact up to `API_COUNT_CAP` and the cap beyond. The estimate, from the
    table's statistics, may be off by a fraction of a per cent: at the far
    end of a list of millions a page may be offered empty, or the last one
    not offered (its records still found by a filter or the search)."""

    capped = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if queryset.query.where and not self.capped:
            return queryset.count()
        return count_rows(queryset, filtered=bool(queryset.query.where)).value


class DistinctValuesFilter(admin.AllValuesFieldListFilter):
    """Django's filter by each value a column holds, its values found through
    the column's index one after another — each the least above the one
    before (a "loose index scan"): a handful of index reads, where `SELECT
    DISTINCT` reads every row (380 ms at a million). Django's own query for
    a column that may be null or leads no index, of a related model, or of
    an admin whose queryset filters the model's rows."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        queryset = model_admin.get_queryset(request)
        if (
            field_path == field.name
            and not field.null
            and field.name in leading_index_fields(model)
            and not queryset.query.where
        ):
            self.lookup_choices = distinct_values(queryset, field.column)


class IndexedDateHierarchy:
    """A `ModelAdmin` mixin: its date hierarchy's years, months or days are
    found one after another, each period starting at the least value at or
    past the end of the one before, read through the date field's index (a
    "loose index scan", `periods_holding`): one index read per period
    offered, at most 31 for the days of a month. Django's truncates every
    row's value and sorts them out (`SELECT DISTINCT`): 220-230 ms of a page
    of the audit log at a million entries."""

    def get_queryset(self, request):
        # The admin's own queryset, of a subclass of its own class: the list
        # reads it as before, and the date hierarchy's `datetimes()` differs.
        queryset = super().get_queryset(request)._chain()
        queryset.__class__ = _with_indexed_periods(type(queryset))
        return queryset


@cache
def _with_indexed_periods(queryset_class):
    """`queryset_class` whose `datetimes()` of a year, month or day, read by
    the admin's date hierarchy, answers `periods_holding()`'s list."""

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        if kind not in PERIOD_STARTS or order != "ASC":
            return super(cls, self).datetimes(field_name, kind, order, tzinfo)
        return periods_holding(self, field_name, kind, tzinfo or timezone.get_current_timezone())

    cls = type(
        f"IndexedPeriods{queryset_class.__name__}", (queryset_class,), {"datetimes": datetimes}
    )
    return cls


# Per period: the naive start of the period holding a local time, and of the next one.
PERIOD_STARTS = {
    "year": (
        lambda t: datetime.datetime(t.year, 1, 1),
        lambda s: s.replace(year=s.year + 1),
    ),
    "month": (
        lambda t: datetime.datetime(t.year, t.month, 1),
        lambda s: (s + datetime.timedelta(days=31)).replace(day=1),
    ),
    "day": (
        lambda t: datetime.datetime(t.year, t.month, t.day),
        lambda s: s + datetime.timedelta(days=1),
    ),
}


def periods_holding(queryset, field: str, kind: str, tzinfo) -> list[datetime.datetime]:
    """The start of each `kind` period ("year", "month" or "day", in
    `tzinfo`) in which `queryset` holds a value of `field`, in order, as
    Django's `datetimes(field, kind)` answers them: one `MIN` a period."""
    start_of, next_start = PERIOD_STARTS[kind]
    periods = []
    least = queryset.aggregate(least=Min(field))["least"]
    while least is not None:
        start = start_of(timezone.localtime(least, tzinfo))
        periods.append(timezone.make_aware(start, tzinfo))
        end = timezone.make_aware(next_start(start), tzinfo)
        least = queryset.filter(**{f"{field}__gte": end}).aggregate(least=Min(field))["least"]
    return periods


class TagFilter(admin.SimpleListFilter):
    """Records carrying a tag, found as the API's `?tag=` finds them: a join
    to the links, by the tag's id (`TagQuerySet.ids_named`), which
    PostgreSQL reads in list order when the tag is common and from the
    links when it is rare. Django's filter of a many-to-many field makes the
    page and its count `DISTINCT`, lest a record show twice, which a
    record's tags cannot make it do: 440 ms a page at a million rows."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        names = Tag.objects.order_by("name").values_list("name", flat=True)
        return [(name, name) for name in names]

    def queryset(self, request, queryset):
        name = self.value()
        return queryset.filter(tags__in=Tag.objects.ids_named([name])) if name else queryset


class ListsPlannedForValues:
    """Mixed into a model admin: its list is planned for its filters' values
    on every request, never on a plan PostgreSQL kept for the statement
    (`apps.core.db.planned_for_values`). Ops filter it by anything, and no
    admin list is a hot path to save planning on."""

    def changelist_view(self, request, extra_context=None):
        with planned_for_values():
            response = super().changelist_view(request, extra_context)
            # Rendered here, not as the response leaves: the template reads
            # too (the date hierarchy's bounds).
            if hasattr(response, "render"):
                response.render()
            return response


class BoundedActions:
    """A model admin whose every action, Django's delete among them, is
    bounded (`bounded_action`)."""

    def get_actions(self, request):
        return {
            name: (bounded_action(func), name, description)
            for name, (func, name, description) in super().get_actions(request).items()
        }


class EntityAdmin(BoundedActions, ListsPlannedForValues, SimpleHistoryAdmin):
    """The admin of every entity unless its tool registers its own (which
    should subclass this one)."""

    list_display = ("public_id", "name", "status", "category", "updated_at")
    list_filter = ("status", ("category", DistinctValuesFilter), TagFilter)
    paginator = CountingPaginator
    # A filtered page says "N results", not also "of M" (a count of the table).
    show_full_result_count = False
    # Left empty, the search box looks in the entity's `searched_fields`, read
    # from its search column (`get_search_fields`); a tool admin naming its
    # own gets Django's search over them.
    search_fields = ()
    readonly_fields = Entity.BOOKKEEPING_FIELDS
    autocomplete_fields = ("tags",)
    list_select_related = ("created_by", "updated_by")
    ordering = ("-created_at", "-id")
    actions = ("archive_selected", "restore_selected")

    def get_changeform_initial_data(self, request):
        """The values a link presets on the add form (`?category=Sensors`),
        less those their form field refuses: Django draws a preset as it
        came, and a time that is none (`?executed_at=abc`) broke the page."""
        initial = super().get_changeform_initial_data(request)
        fields = self.get_form(request).base_fields
        taken = {}
        for name, value in initial.items():
            try:
                if name in fields:
                    fields[name].clean(value)
            except (ValidationError, ValueError, TypeError):
                continue
            taken[name] = value
        return taken

    def changelist_view(self, request, extra_context=None):
        # Django's admin passes a filter's value on to the database as it
        # came, and PostgreSQL refuses a NUL in text: a 400, not a 500.
        if any("\x00" in text for key, values in request.GET.lists() for text in (key, *values)):
            raise SuspiciousOperation("Null characters are not allowed in the query.")
        return super().changelist_view(request, extra_context)

    def revert_disabled(self, request, obj=None):
        """A version is shown here, never saved back: Django's form would
        bring back its fields but not its tags (the history keeps none), past
        the record's workflow. A record goes back to a version through the
        API's revert (the web app's history), which does both."""
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Hiding the button is all simple_history does; its form still saves.
        if request.method == "POST":
            raise PermissionDenied("Revert a record from its history in the web app or the API.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_paginator(self, request, *args, **kwargs):
        """Pages of this admin's list, or of its records found for another's
        autocomplete, which asks only whether there is a page more: its count
        is capped, so it offers the first `API_COUNT_CAP` (1,000) matches —
        one types on to find another — where counting every match took
        366 ms a keystroke for a word in 8 % of a million records."""
        paginator = super().get_paginator(request, *args, **kwargs)
        match = request.resolver_match
        paginator.capped = match is not None and match.url_name == "autocomplete"
        return paginator

    def get_autocomplete_fields(self, request):
        """Tags, and each link to a record whose admin has a search: picked by
        searching as one types. Django's default, a list of every record, took
        85 s to render a test run's form linked to a million components."""
        links = [
            field.name
            for field in self.model._meta.get_fields()
            if field.concrete
            and (field.many_to_one or field.many_to_many)
            and field.editable
            and field.name not in self.readonly_fields
            and self._searchable(request, field.related_model)
        ]
        return tuple(dict.fromkeys((*super().get_autocomplete_fields(request), *links)))

    def delete_queryset(self, request, queryset):
        """Django's "delete selected", the records' Linear links let go of
        together (`linear_links.letting_go_of_deleted`), not one query each."""
        with transaction.atomic(), linear_links.letting_go_of_deleted(queryset):
            super().delete_queryset(request, queryset)

    @admin.action(description="Archive selected %(verbose_name_plural)s", permissions=["change"])
    def archive_selected(self, request, queryset):
        archived = self.model.workflow.archived
        self._move_selected(
            request,
            queryset,
            services.bulk_archive_entities,
            moves=lambda record: record.status != archived,
            done="archived",
        )

    @admin.action(description="Restore selected %(verbose_name_plural)s", permissions=["change"])
    def restore_selected(self, request, queryset):
        archived = self.model.workflow.archived
        self._move_selected(
            request,
            queryset,
            services.bulk_restore_entities,
            moves=lambda record: record.status == archived,
            done="restored",
        )

    def _move_selected(self, request, queryset, write, *, moves, done: str):
        """`write` the selected records, all or none, as the API's bulk writes
        do: a refusal names each refused record and why, and nothing is written."""
        records = list(queryset.order_by("pk"))
        try:
            with transaction.atomic():  # the unit that a refusal undoes
                before = write(self.model, records)
        except BulkItemsError as refused:
            reasons = " ".join(
                _naming(records[index].public_id, _messages_of(errors))
                for index, errors in sorted(refused.errors.items())
            )
            self.message_user(
                request,
                f"Nothing was {done}: {len(refused.errors)} of {refused.total} "
                f"{self._label(refused.total)} cannot be. {reasons}",
                messages.ERROR,
            )
            return
        moved = sum(map(moves, before))
        self.message_user(request, f"{done.capitalize()} {moved} {self._label(moved)}.")

    def _label(self, count: int) -> str:
        meta = self.model._meta
        return meta.verbose_name if count == 1 else meta.verbose_name_plural

    def _searchable(self, request, model) -> bool:
        site = self.admin_site
        return site.is_registered(model) and bool(
            site.get_model_admin(model).get_search_fields(request)
        )

    def get_search_fields(self, request):
        return self.search_fields or self.model.searched_fields

    def get_search_results(self, request, queryset, search_term):
        """Each word (or "quoted phrase") of the term, as the API's `search`
        finds it: from the search column and its index, not from each
        searched field upper-cased. A tool admin searching other fields gets
        Django's search over them."""
        if self.search_fields:
            return super().get_search_results(request, queryset, search_term)
        for word in smart_split(search_term):
            if word[0] in "\"'" and word[-1] == word[0]:
                word = unescape_string_literal(word)
            queryset = queryset.search(word)
        return queryset, False


def bounded_action(action):
    """`action`, refusing a selection of more than BULK_MAX_ITEMS records
    with a message: Django hands an action every record of "Select all",
    and its delete, which lists each one for confirmation, had not answered
    after three minutes for a million. The count is capped, as the API's."""

    @wraps(action)
    def bounded(model_admin, request, queryset):
        limit = settings.BULK_MAX_ITEMS
        if queryset.order_by()[: limit + 1].count() > limit:
            model_admin.message_user(
                request,
                f"An action takes at most {limit:,} records at a time, and more were "
                "selected. Narrow the list with a filter or a search first.",
                messages.ERROR,
            )
            return None
        return action(model_admin, request, queryset)

    return bounded


def _messages_of(errors: dict) -> list[str]:
    return [message for field_messages in errors.values() for message in field_messages]


def _naming(public_id: str, reasons: list[str]) -> str:
    """A refused record's reasons, led by its public id unless they name it."""
    text = " ".join(reasons)
    return text if public_id in text else f"{public_id}: {text}"


def register_entity_admins(site=admin.site):
    """Register every entity model its tool has not registered itself. Runs
    after the admin's autodiscover, so a tool's own admin.py always wins."""
    for model in entity_models():
        if not site.is_registered(model):
            site.register(model, EntityAdmin)


class ReadOnlyAdmin(ListsPlannedForValues, admin.ModelAdmin):
    """Rows the platform writes itself: an operator reads them, never edits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EntityTypeFilter(admin.SimpleListFilter):
    """The entity types, the only ones audited: Django's filter of a content
    type lists every model's (sessions, nonces, history tables: some 300
    with 141 tools), or reads the whole log for those it holds."""

    title = "entity type"
    parameter_name = "content_type"

    def lookups(self, request, model_admin):
        types = ContentType.objects.get_for_models(*entity_models())
        return sorted(
            (
                (str(ct.pk), f"{model._meta.app_config.verbose_name}: {model._meta.verbose_name}")
                for model, ct in types.items()
            ),
            key=lambda choice: choice[1].lower(),
        )

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            return queryset.filter(content_type_id=int(self.value()))
        except ValueError:
            return queryset.none()


@admin.register(AuditEntry)
class AuditEntryAdmin(IndexedDateHierarchy, ReadOnlyAdmin):
    list_display = ("timestamp", "action", "record", "object_label", "actor_label", "request_id")
    list_filter = ("action", EntityTypeFilter)
    readonly_fields = ("record",)
    search_fields = ("public_id", "object_label", "actor_label", "=request_id")
    date_hierarchy = "timestamp"
    list_select_related = ("content_type",)
    paginator = CountingPaginator
    show_full_result_count = False

    @admin.display(description="record", ordering="public_id")
    def record(self, entry):
        """The record's public id, linking to its page in the admin."""
        label = entry.public_id or str(entry.object_id)
        ct = entry.content_type
        try:
            url = reverse(f"admin:{ct.app_label}_{ct.model}_change", args=[entry.object_id])
        except NoReverseMatch:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    def get_search_results(self, request, queryset, search_term):
        """A whole public id (`CMP-0042`, in any case) finds its record's
        entries through the index of one record's history: Django's search
        tests three labels of every entry (3 s a page at a million entries).
        Anything else, a part of an id included, is Django's search."""
        entries = entries_of_public_id(queryset, search_term)
        if entries is not None:
            return entries, False
        return super().get_search_results(request, queryset, search_term)


def entries_of_public_id(queryset, term: str):
    """The audit entries of the record whose public id `term` is, or None
    when it is none. A record deleted since is found by the public id its
    entries keep (read from every entry: no index serves it)."""
    public_id = term.strip().upper()
    if not PUBLIC_ID_PATTERN.fullmatch(public_id):
        return None
    prefix, _, digits = public_id.partition("-")
    model = next((m for m in entity_models() if m.id_prefix == prefix), None)
    if model is None or format_public_id(prefix, int(digits)) != public_id:
        return None  # not a tool's, or a part of one (`CMP-00`)
    pk = model._base_manager.filter(public_id=public_id).values_list("pk", flat=True).first()
    if pk is None:
        return queryset.filter(public_id=public_id)
    return queryset.filter(content_type=ContentType.objects.get_for_model(model), object_id=pk)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """A tag in use is part of its records: renamed or deleted here, it would
    change them with no audit entry, no history and the same ETag. So its
    name is read-only and its delete refused, saying where it is; it comes
    off its records through the API's bulk tag writes (audited record by
    record), and then goes here. An unused tag is the admin's to rename or
    delete."""

    list_display = ("name", "created_at")
    search_fields = ("name",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and tag_uses([obj.pk]):
            return ("name",)
        return ()

    def get_deleted_objects(self, objs, request):
        """Django's own answer, with each tag in use listed as protected: its
        delete page and the "Delete selected" action then refuse."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        tags = {tag.pk: tag.name for tag in objs}
        for pk, uses in tag_uses(tags).items():
            protected.extend(
                f"{count} {model_ngettext(model, count)} tagged “{tags[pk]}”"
                for model, count in uses
            )
        return deleted, counts, perms_needed, protected


def tag_uses(tag_ids) -> dict[int, list[tuple[type[Entity], int]]]:
    """For each of these tags on a record, how many records of each entity
    type carry it: `{tag id: [(Component, 12), …]}`. One query an entity
    type."""
    uses: dict[int, list[tuple[type[Entity], int]]] = {}
    for model in entity_models():
        rows = (
            model.tags.through.objects.filter(tag_id__in=list(tag_ids))
            .values_list("tag_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for tag_id, count in rows:
            uses.setdefault(tag_id, []).append((model, count))
    return uses


@admin.register(LogEntry)
class AdminActionAdmin(ReadOnlyAdmin):
    """What operators did in the admin to rows no audit entry covers: people
    (made active, staff or superuser, deleted), saved views, tags. Django
    writes these; entities are audited as through the API."""

    list_display = ("action_time", "user", "action_flag", "content_type", "object_repr", "change")
    list_filter = ("action_flag",)
    search_fields = ("object_repr", "change_message", "user__username")
    date_hierarchy = "action_time"
    list_select_related = ("content_type", "user")

    @admin.display(description="change")
    def change(self, entry):
        return entry.get_change_message()


@admin.register(IdCounter)
class IdCounterAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "last_number")


@admin.register(LinearIssueLink)
class LinearIssueLinkAdmin(ReadOnlyAdmin):
    """Made through the API and kept by Linear's webhooks: an operator reads
    which record has which issue."""

    list_display = ("identifier", "title", "state", "linked_record", "created_by", "updated_at")
    list_filter = ("state_type", ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("identifier", "=linear_id", "title")
    list_select_related = ("content_type", "created_by")

    def get_queryset(self, request):
        # Each page's records in one query per entity type, not one per row.
        return super().get_queryset(request).prefetch_related("record")

    @admin.display(description="record")
    def linked_record(self, link):
        """The record's public id, linking to it in the admin; a record deleted
        since (or of a tool removed) by its type and id."""
        record = link.record
        if record is None:
            return f"{link.content_type} {link.object_id} (gone)"
        url = reverse(
            f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
        )
        return format_html('<a href="{}">{}</a>', url, record.public_id)


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    """People make their views through the API, whose checks of a query the
    admin does not repeat: an operator renames, unshares or deletes one (the
    only way to change a view whose owner was deleted)."""

    list_display = ("name", "content_type", "owner_or_former_user", "shared", "updated_at")
    # Only the entity types that have views, not every model's.
    list_filter = ("shared", ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "query", "owner__username", "owner__email")
    list_select_related = ("content_type", "owner")
    readonly_fields = ("owner", "content_type", "query", "created_at", "updated_at")

    def has_add_permission(self, request):
        return False

    @admin.display(description="owner", ordering="owner")
    def owner_or_former_user(self, view):
        """A shared view outlives its owner (`keep_shared_views`)."""
        return view.owner or "former user"


def shared_views_of(people) -> list[SavedView]:
    """The views `people` shared, which stay when they are deleted (owned by no one)."""
    return list(
        SavedView.objects.filter(owner__in=people, shared=True)
        .select_related("content_type")
        .order_by("name", "id")
    )


def telling_which_views_stay(delete_selected):
    """Django's delete action, whose confirmation names the shared views that stay."""

    @wraps(delete_selected)
    def delete_people(model_admin, request, queryset):
        response = delete_selected(model_admin, request, queryset)
        if response is not None:  # the confirmation page, not yet rendered
            response.context_data["kept_shared_views"] = shared_views_of(queryset)
        return response

    return delete_people


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People. Deleting one deletes their private saved views and keeps those
    they shared, with no owner; the confirmation page says which."""

    list_display = ("username", "email", "first_name", "last_name", "external_id", "is_staff")
    search_fields = ("username", "email", "first_name", "last_name", "external_id")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Identity provider", {"fields": ("external_id",)}))

    def render_delete_form(self, request, context):
        context["kept_shared_views"] = shared_views_of([context["object"]])
        return super().render_delete_form(request, context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (telling_which_views_stay(func), name, description)
        return actions
