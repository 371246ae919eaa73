from apps.core.tools import ToolConfig


class ComponentsConfig(ToolConfig):
    name = "apps.components"
    verbose_name = "Components"
    icon = "cpu"
    description = "The registry of parts: suppliers, costs, stock and datasheets."
