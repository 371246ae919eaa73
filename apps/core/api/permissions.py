from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.core.permissions import READ, WRITE, Grants, permission_name


class ToolPermission(BasePermission):
    """The one permission hook every tool endpoint passes through.

    Safe methods need `<tool>:read`, other methods `<tool>:write`, and actions
    a tool marks with `permission_level="admin"` need `<tool>:admin`.
    """

    def has_permission(self, request, view):
        grants = request.auth
        if request.user is None or not isinstance(grants, Grants):
            raise NotAuthenticated()
        require(grants, view.tool.slug, required_level(request, view))
        return True


def require(grants: Grants, tool: str, level: str) -> None:
    """A 403 naming the permission, unless `grants` hold `level` on `tool`."""
    if not grants.allows(tool, level):
        raise PermissionDenied(
            f"You need the '{permission_name(tool, level)}' permission.",
            code="permission_denied",
        )


def required_level(request, view) -> str:
    declared = getattr(view, "permission_level", None)
    if declared:
        return declared
    return READ if request.method in SAFE_METHODS else WRITE


class HasGrants(BasePermission):
    """Platform endpoints (manifest, me, activity): any authenticated caller;
    what they see is filtered by their grants."""

    def has_permission(self, request, view):
        if request.user is None or not isinstance(request.auth, Grants):
            raise NotAuthenticated()
        return True


class ReadsAnyTool(HasGrants):
    """Authenticated, with read permission on at least one tool: one of the
    view's `readable_tools` (the slugs of the tools the caller may read)."""

    def has_permission(self, request, view):
        super().has_permission(request, view)
        if not view.readable_tools:
            raise PermissionDenied(
                "You need read permission on at least one tool ('<tool>:read').",
                code="permission_denied",
            )
        return True
