"""Small viewset capabilities, combined once into `EntityViewSet` (in the
manner of DRF's own mixins)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core import services


class ArchiveModelMixin:
    """DELETE archives the record (204). Hard delete is for the Django admin only."""

    @extend_schema(responses={204: None}, description="Archive the record (it can be restored).")
    def destroy(self, request, *args, **kwargs):
        services.archive_entity(self.get_object(), grants=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RestoreModelMixin:
    """`POST …/{id}/restore/` brings an archived record back."""

    @extend_schema(request=None, description="Bring an archived record back.")
    @action(detail=True, methods=["post"])
    def restore(self, request, *args, **kwargs):
        instance = services.restore_entity(self.get_object(), grants=request.auth)
        return Response(self.get_serializer(instance).data)
