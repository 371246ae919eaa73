"""Linear's webhooks, at `/api/v1/webhooks/linear/`: each delivery about an
issue brings the link of that issue up to date (`linear_links.apply_issue_event`),
as the user "Linear".

Linear signs the raw body with HMAC-SHA256 and the webhook's signing secret
(`LINEAR_WEBHOOK_SECRET`), in hex, in `Linear-Signature`; it names each
delivery in `Linear-Delivery` and its kind in `Linear-Event`, and puts the
time it sent it in the body (`webhookTimestamp`, milliseconds), which Linear
asks receivers to check within a minute.
"""

import datetime

from apps.core.integrations import linear_links
from apps.core.integrations.sources import WebhookSource, from_epoch_milliseconds


class LinearWebhooks(WebhookSource):
    name = "linear"
    secret_setting = "LINEAR_WEBHOOK_SECRET"
    signature_header = "Linear-Signature"
    delivery_id_header = "Linear-Delivery"
    event_header = "Linear-Event"
    replay_window = datetime.timedelta(minutes=1)
    actor_name = "Linear"

    def sent_at(self, headers, payload):
        return from_epoch_milliseconds(payload.get("webhookTimestamp"))

    def handle(self, delivery):
        linear_links.apply_issue_event(delivery.payload)
