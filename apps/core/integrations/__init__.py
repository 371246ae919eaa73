"""The integrations base: connections to services outside the suite
(docs/integrations.md).

Inbound webhooks: a tool declares a `WebhookSource` and registers it in its
AppConfig's `ready()`; the platform then receives its deliveries at
`/api/v1/webhooks/<name>/` (signature checked, stored once, answered at
once) and processes each in the background, as the source's own user.
Outbound: Linear's API (`linear`), and a record's link to a Linear issue
(`linear_links`).
"""

from .sources import (
    WebhookSource,
    from_epoch_milliseconds,
    register_webhook_source,
    unregister_webhook_source,
    webhook_source,
)

__all__ = [
    "WebhookSource",
    "from_epoch_milliseconds",
    "register_webhook_source",
    "unregister_webhook_source",
    "webhook_source",
]
