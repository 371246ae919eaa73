"""The suite's OpenAPI schema for the generic tool tests."""

from functools import cache

from drf_spectacular.generators import SchemaGenerator


@cache
def openapi_schema() -> dict:
    """Made once per test process: it is derived from code, and every tool's
    tests read it (one generation takes seconds with 141 tools)."""
    return SchemaGenerator().get_schema(request=None, public=True)
