"""Per-tool permissions: `<tool>:read`, `<tool>:write`, `<tool>:admin`.

One check decides what a caller may do, for the API, the tool manifest and
the React app alike: `Grants.allows(tool, level)`. Wildcards `*:read`,
`*:write` and `*:admin` grant the level on every tool. Levels do not imply
each other; a token grants each one it should carry.
"""

from collections.abc import Iterable
from dataclasses import dataclass

READ, WRITE, ADMIN = "read", "write", "admin"
LEVELS = (READ, WRITE, ADMIN)


def permission_name(tool: str, level: str) -> str:
    return f"{tool}:{level}"


@dataclass(frozen=True)
class Grants:
    """The permissions one authenticated caller holds (DRF's `request.auth`)."""

    permissions: frozenset[str]

    @classmethod
    def everything(cls) -> "Grants":
        return cls(frozenset(permission_name("*", level) for level in LEVELS))

    def allows(self, tool: str, level: str) -> bool:
        return (
            permission_name(tool, level) in self.permissions
            or permission_name("*", level) in self.permissions
        )

    def readable(self, tools: Iterable[str]) -> list[str]:
        """Those of `tools` (slugs) these grants may read, in their order."""
        return [tool for tool in tools if self.allows(tool, READ)]

    def levels_for(self, tool: str) -> list[str]:
        return [level for level in LEVELS if self.allows(tool, level)]
