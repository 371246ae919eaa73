from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.core.permissions import READ, WRITE, Grants, permission_name
from apps.core.tools import tool_for_model


class ToolPermission(BasePermission):
    """The one permission hook every tool endpoint passes through.

    Every endpoint needs the level of its action — `<tool>:read` for safe
    methods, `<tool>:write` for the others, `<tool>:admin` for actions a tool
    marks with `permission_level="admin"` — and, as each answers with records
    (a write returns the record it wrote), `<tool>:read` as well: levels do
    not imply each other, so write alone reads nothing. The 403 names the
    action's level if that is missing, else read.
    """

    def has_permission(self, request, view):
        grants = request.auth
        if request.user is None or not isinstance(grants, Grants):
            raise NotAuthenticated()
        level = required_level(request, view)
        require(grants, view.tool.slug, level)
        if level != READ:  # a read was checked just above
            require(grants, view.tool.slug, READ)
        return True


def require(grants: Grants, tool: str, level: str) -> None:
    """A 403 naming the permission, unless `grants` hold `level` on `tool`."""
    if not grants.allows(tool, level):
        raise PermissionDenied(
            f"You need the '{permission_name(tool, level)}' permission.",
            code="permission_denied",
        )


def link_refusal(grants: Grants | None, model, doing: str) -> str | None:
    """Why the caller holding `grants` may not name records of `model` (an
    entity) in a link — to write it (`doing="link"`) or to filter by it
    (`"filter by"`): without read on its tool, they learn nothing of them,
    not even which exist. None when they may, and outside a request
    (`grants` None: trusted code)."""
    if grants is None:
        return None
    tool = tool_for_model(model).slug
    if grants.allows(tool, READ):
        return None
    records = model._meta.verbose_name_plural
    return f"You need '{permission_name(tool, READ)}' to {doing} {records}."


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
