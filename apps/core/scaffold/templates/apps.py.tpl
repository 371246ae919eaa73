from apps.core.tools import ToolConfig


class ${config_class}(ToolConfig):
    name = "apps.${slug}"
${verbose_name}
${icon}
${description}
