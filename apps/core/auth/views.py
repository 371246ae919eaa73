from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.auth.serializers import MeSerializer
from apps.core.tools import installed_tools


class MeView(APIView):
    """`GET /api/v1/me/`: the caller's identity and effective permissions, the
    same `Grants` check every tool endpoint applies."""

    @extend_schema(
        operation_id="me_retrieve",
        tags=["Identity"],
        responses=MeSerializer,
        description="The signed-in caller and, per installed tool, the levels they hold.",
    )
    def get(self, request):
        grants = request.auth
        user = request.user
        data = {
            "id": user.pk,
            "username": user.username,
            "name": user.display_name,
            "email": user.email,
            "external_id": user.external_id,
            "permissions": sorted(grants.permissions),
            "tools": [
                {
                    "slug": tool.slug,
                    "name": str(tool.verbose_name),
                    "levels": grants.levels_for(tool.slug),
                }
                for tool in installed_tools()
            ],
        }
        return Response(MeSerializer(data).data)
