from apps.core.tools import ToolConfig


class TestingConfig(ToolConfig):
    name = "apps.testing"
    verbose_name = "Testing"
    icon = "flask-conical"
    description = "Test runs: what was measured on which component, and whether it passed."
