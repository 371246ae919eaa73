"""How the API's authentication appears in the OpenAPI schema. Imported by
`CoreConfig.ready()` so drf-spectacular knows the extensions."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class Auth0BearerScheme(OpenApiAuthenticationExtension):
    target_class = "apps.core.auth.authentication.Auth0JWTAuthentication"
    name = "auth0"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(
            header_name="AUTHORIZATION", token_prefix="Bearer", bearer_format="JWT"
        )
        scheme["description"] = "An Auth0 access token for this API (see docs/auth.md)."
        return scheme


class DevModeScheme(OpenApiAuthenticationExtension):
    """Only on a developer machine with DEV_MODE: no credentials needed."""

    target_class = "apps.core.auth.dev.DevModeAuthentication"
    name = "devMode"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "DEV_MODE: every request is the dev user; any or no token works.",
        }
