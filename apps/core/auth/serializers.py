from rest_framework import serializers


class ToolAccessSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="The tool's URL segment and permission namespace.")
    name = serializers.CharField()
    levels = serializers.ListField(
        child=serializers.ChoiceField(choices=["read", "write", "admin"]),
        help_text="The permission levels the caller holds on this tool.",
    )


class MeSerializer(serializers.Serializer):
    """The caller: who they are and what they may do."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(help_text="Full name, else email, else username.")
    email = serializers.CharField(allow_blank=True)
    external_id = serializers.CharField(
        allow_null=True, help_text="The identity provider's subject (Auth0 `sub`)."
    )
    permissions = serializers.ListField(
        child=serializers.CharField(),
        help_text="Every permission the caller's token grants, as sent (`<tool>:<level>`).",
    )
    tools = ToolAccessSerializer(
        many=True, help_text="Each installed tool and the caller's levels on it."
    )
