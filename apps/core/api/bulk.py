"""Bulk writes: `POST …/bulk/` creates, `PATCH …/bulk/` updates,
`POST …/bulk/archive/` archives and `POST …/bulk/tags/` tags many records,
all or nothing.

Every item is validated before anything is written (`bulk_validation`), and
every failing item is reported, by position:

    {"detail": "2 of 3 failed; nothing was written.", "code": "invalid",
     "errors": [{"index": 1, "errors": {"part_number": ["…"]}}, …]}

Unlike every other error, `errors` is a list here.
"""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core import services
from apps.core.api.bulk_validation import (
    BulkError,
    EntityBulkSerializer,
    EntityBulkUpdateSerializer,
    bulk_update_item_serializer,
    check_items,
    resolve_records,
)
from apps.core.api.schema import ErrorSerializer, FieldErrorsField
from apps.core.api.serializers import (
    EntityReferenceField,
    EntityReferenceSerializer,
    StrictFieldsMixin,
    check_tag_changes,
    tag_names_field,
)
from apps.core.exceptions import BulkItemsError

# --- OpenAPI descriptions of bodies that are not the tool's serializer --------------------


class BulkItemErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the item in the request, from 0.")
    errors = FieldErrorsField(help_text="`{field: [messages]}` for this item.")


class BulkErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(
        help_text="`invalid` (items failed), `invalid_body`, `empty` or `too_many_items`."
    )
    errors = BulkItemErrorSerializer(many=True)


# A bulk write's 400: the items refused (`BulkError`), or the request itself
# (a body that is no JSON, an unknown query parameter) in the one error shape.
BULK_WRITE_ERROR = PolymorphicProxySerializer(
    component_name="BulkWriteError",
    serializers=[BulkErrorSerializer, ErrorSerializer],
    resource_type_field_name=None,
)


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "example": "CMP-0001"}]})
class RecordIdField(serializers.Field):
    """An id or a public id, taken as sent: the view resolves a list of them
    at once (`BulkModelMixin.named_records`), reporting each failing one by
    its position."""

    def to_internal_value(self, data):
        return data


class BulkArchiveSerializer(serializers.Serializer):
    ids = serializers.ListField(child=RecordIdField(), help_text="At most BULK_MAX_ITEMS.")


class BulkArchiveResultSerializer(serializers.Serializer):
    archived = EntityReferenceSerializer(many=True)


class BulkTagsSerializer(StrictFieldsMixin, serializers.Serializer):
    """The records to tag, and the tags to add and to remove: names checked
    as a record's `tags` are, matched case-insensitively."""

    ids = serializers.ListField(child=RecordIdField(), help_text="At most BULK_MAX_ITEMS.")
    add = tag_names_field(default=list, help_text="Tag names each record gets, if it has not.")
    remove = tag_names_field(default=list, help_text="Tag names each record loses, if it has them.")

    def validate(self, attrs):
        if not attrs["add"] and not attrs["remove"]:
            raise serializers.ValidationError(
                {"non_field_errors": ["Name at least one tag in add or in remove."]}
            )
        check_tag_changes(attrs["add"], attrs["remove"], add_field="add", remove_field="remove")
        return attrs


class BulkTagsResultSerializer(serializers.Serializer):
    changed = EntityReferenceSerializer(many=True, help_text="The records whose tags changed.")
    unchanged = EntityReferenceSerializer(
        many=True, help_text="The records whose tags were so already: not written."
    )


# --- The viewset capability -------------------------------------------------------------------


class BulkModelMixin:
    """`POST …/bulk/`, `PATCH …/bulk/`, `POST …/bulk/archive/` and
    `POST …/bulk/tags/`: many records in one transaction, all or nothing."""

    @extend_schema(
        description="Create many records, all or nothing: a list of create bodies "
        "(at most BULK_MAX_ITEMS, default 1000). 400 lists every failing item."
    )
    @action(
        detail=False, methods=["post"], url_path="bulk", filter_backends=[], pagination_class=None
    )
    def bulk_create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        records = services.bulk_create_entities(
            self.model, serializer.validated_data, grants=request.auth
        )
        return Response(self.records_data(records), status=status.HTTP_201_CREATED)

    @extend_schema(
        description="Update many records, all or nothing: a list of `{id, …fields}`, "
        "each applied like a PATCH. `id` is the id or public id."
    )
    @bulk_create.mapping.patch
    def bulk_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = [(data.pop("id"), data) for data in serializer.validated_data]
        records = services.bulk_update_entities(self.model, changes, grants=request.auth)
        return Response(self.records_data(records))

    @extend_schema(
        request=BulkArchiveSerializer,
        responses={200: BulkArchiveResultSerializer, 400: BULK_WRITE_ERROR},
        description="Archive many records, all or nothing. Records already archived "
        "are left as they are and listed too.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk/archive",
        url_name="bulk-archive",
        filter_backends=[],
        pagination_class=None,
    )
    def bulk_archive(self, request, *args, **kwargs):
        body = request.data
        if not isinstance(body, dict) or set(body) != {"ids"}:
            raise BulkError('The body must be {"ids": [id or public id, …]}.', "invalid_body")
        records = self.named_records(body["ids"])
        archived = services.bulk_archive_entities(self.model, records, grants=request.auth)
        return Response({"archived": EntityReferenceSerializer(archived, many=True).data})

    @extend_schema(
        request=BulkTagsSerializer,
        responses={200: BulkTagsResultSerializer, 400: BULK_WRITE_ERROR},
        description="Add tags to and remove tags from many records, all or nothing; "
        "each keeps its other tags. Only the records whose tags change are written "
        "(`changed`); archived records are tagged like any other.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk/tags",
        url_name="bulk-tags",
        filter_backends=[],
        pagination_class=None,
    )
    def bulk_tags(self, request, *args, **kwargs):
        body = request.data
        if not isinstance(body, dict) or "ids" not in body:
            raise BulkError(
                'The body must be {"ids": [id or public id, …], "add": [tag, …], '
                '"remove": [tag, …]}.',
                "invalid_body",
            )
        check_items(body["ids"], what="ids")  # refused as archive refuses it, before the tags
        serializer = BulkTagsSerializer(data=body)
        serializer.is_valid(raise_exception=True)
        # The records named, read once: locked, with their tags, for the write.
        records = self.named_records(
            body["ids"], services.locked_records(self.model, with_tags=True)
        )
        tags = serializer.validated_data
        changed = services.bulk_tag_entities(
            self.model, records, add=tags["add"], remove=tags["remove"]
        )
        written = {record.pk for record in changed}
        unchanged = [record for record in records if record.pk not in written]
        return Response(
            {
                "changed": EntityReferenceSerializer(changed, many=True).data,
                "unchanged": EntityReferenceSerializer(unchanged, many=True).data,
            }
        )

    def named_records(self, ids, rows=None) -> list:
        """The records `ids` names (ids or public ids), in its order, read
        from `rows` (default: all the model's): every one, or a `BulkError`
        naming each failing position."""
        check_items(ids, what="ids")
        rows = self.model.objects.all() if rows is None else rows
        field = EntityReferenceField(queryset=rows)
        field.prefetch(ids)
        records, errors = resolve_records(field, dict(enumerate(ids)))
        if errors:
            raise BulkError.for_items(errors, len(ids))
        return list(records.values())

    def get_serializer(self, *args, **kwargs):
        if self.action not in ("bulk_create", "bulk_update"):
            return super().get_serializer(*args, **kwargs)
        kwargs.setdefault("context", self.get_serializer_context())
        item_class = self.get_serializer_class()
        if self.action == "bulk_update":
            child = bulk_update_item_serializer(item_class)(context=kwargs["context"])
            return EntityBulkUpdateSerializer(*args, child=child, partial=True, **kwargs)
        return EntityBulkSerializer(*args, child=item_class(context=kwargs["context"]), **kwargs)

    def records_data(self, records) -> list:
        """The records as the API shows them, read again with their relations."""
        fresh = self.get_queryset().in_bulk([record.pk for record in records])
        return self.get_serializer_class()(
            [fresh[record.pk] for record in records],
            many=True,
            context=self.get_serializer_context(),
        ).data

    def schema_responses(self):
        """The bulk writes' responses in OpenAPI: the tool's records, or the
        bulk error (see `EntityAutoSchema`)."""
        if self.action not in ("bulk_create", "bulk_update"):
            return None
        records = self.get_serializer_class()(many=True)
        code = status.HTTP_201_CREATED if self.action == "bulk_create" else status.HTTP_200_OK
        return {code: records, status.HTTP_400_BAD_REQUEST: BULK_WRITE_ERROR}

    def handle_exception(self, exc):
        if isinstance(exc, BulkItemsError):  # the workflow refused items, after validation
            exc = BulkError.for_items(exc.errors, exc.total)
        if isinstance(exc, BulkError):
            response = Response(exc.body(), status=status.HTTP_400_BAD_REQUEST)
            response.exception = True
            return response
        return super().handle_exception(exc)
