"""When an app server's process collects cyclic garbage: between requests.

Nothing a Django request makes is freed when its response is sent. Django's
request and its message storage refer to each other, and so do DRF's view,
request, response and list serializer. Everything the request made hangs
off these cycles (a list's 50 records and 100 authors, their dicts and
states: about 750 objects), so only the cyclic collector frees it.

With CPython's default thresholds the youngest generation is collected
after every 700 new objects: in the middle of a request, while its objects
are still in use. They survive into the next generation, and a later,
costlier collection of that one frees them. That cost a list or a search
0.6 to 1.0 ms of CPU (docs/performance.md).

So an app server collects between requests instead, as a request starts,
once the requests before it have made `BETWEEN_REQUESTS` new objects (after
every list; after every few reads of one record). Those requests' objects
are all garbage by then, and one collection of the youngest generation
frees them. The older generations are collected when CPython would collect
them, counting these collections. The automatic collector still runs within
a request that makes more than `REQUEST_THRESHOLD` objects (a bulk write),
so a large request is collected as it goes.
"""

import gc

from django.core.signals import request_started

# New objects (minus freed ones) after which the youngest generation is
# collected between requests: CPython's own threshold. A list makes about
# 760, a record's read about 100.
BETWEEN_REQUESTS = 700
# ... and after which the automatic collector runs within a request. A
# 1,000-item bulk write makes more.
REQUEST_THRESHOLD = 10_000


def collect_between_requests():
    """Called once in an app server's process, after start-up."""
    # What start-up has made (the warmed caches) lives as long as the
    # process: no collection needs to look at it again.
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(REQUEST_THRESHOLD, middle, oldest)
    request_started.connect(collect_previous_request, dispatch_uid=__name__)


def collect_previous_request(**kwargs):
    counts = gc.get_count()
    if counts[0] < BETWEEN_REQUESTS:
        return
    # As CPython chooses: the oldest generation collected more often than its
    # threshold since it was last collected itself (with the younger ones).
    thresholds = gc.get_threshold()
    gc.collect(max((g for g in (1, 2) if counts[g] > thresholds[g]), default=0))
