"""Generic tests that bad input is a 4xx, never a 500, held against every tool
through `EntityAPITestCase`.

Each endpoint of the tool gets awkward values where it takes input — every
writable field of a body, every query parameter of the list and the export,
malformed JSON — and must answer each with a client error (or success). A
tool whose own field, filter or validator lets such a value reach the
database fails here, not in production.
"""

from apps.core.api.registry import filterset_for, serializer_for

# JSON values a client may send for any field.
AWKWARD_VALUES = [
    None,
    True,
    -1,
    2**63,
    10**30,
    1.5,
    "",
    "a\x00b",
    "²",
    "x" * 5000,
    "9" * 5000,
    [],
    [["nested"]],
    {"a": 1},
]

# Query-string values a client may send for any parameter.
AWKWARD_QUERY_VALUES = [
    "",
    ",",
    "-1",
    "99999999999999999999999",
    "1e400",
    "a\x00b",
    "²",
    "2020-13-45",
    # Times with no UTC within years 1 to 9999 (SQLite's backend converts to UTC in Python).
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "x" * 2000,
    "9" * 5000,
]

MALFORMED_BODIES = [
    b"",
    b"{",
    b"[1",
    b"null",
    b'"text"',
    b"\xff\xfe",
    b"[" * 2000,
    # A name no field has, which an error quotes back, and no UTF-8 can write.
    b'{"\\ud800": 1}',
    b'[{"\\ud800": 1}]',
]


class RobustnessTests:
    """Every test here sends hundreds of requests; each answer must be below
    500. (The URLs come from the other generic tests' helpers.)"""

    def _server_errors(self, api, requests) -> list:
        """The requests answered with a 5xx."""
        api.raise_request_exception = False
        failures = []
        for method, url, kwargs in requests:
            response = getattr(api, method)(url, **kwargs)
            if response.status_code >= 500:
                failures.append((method, url, kwargs, response.status_code))
        return failures

    def test_no_awkward_field_value_is_a_server_error(self, api):
        record = self.make(1)
        fields = serializer_for(self.model)().fields
        writable = [name for name, field in fields.items() if not field.read_only]
        requests = []
        for name in writable:
            for value in AWKWARD_VALUES:
                body = {**self.valid_data(2), name: value}
                requests.append(("post", self.list_url, {"data": body, "format": "json"}))
                requests.append(
                    ("patch", self.detail_url(record.pk), {"data": {name: value}, "format": "json"})
                )
        assert self._server_errors(api, requests) == []

    def test_no_awkward_query_value_is_a_server_error(self, api):
        self.make(1)
        names = [*filterset_for(self.model).base_filters, "limit", "offset", "cursor", "fields"]
        requests = [
            ("get", url, {"data": {name: value}})
            for name in names
            for value in AWKWARD_QUERY_VALUES
            for url in (self.list_url, self.export_url)
            if not (url == self.export_url and name in ("limit", "offset", "cursor"))
        ]
        assert self._server_errors(api, requests) == []

    def test_an_id_no_record_can_have_is_a_404(self, api):
        for key in ("0", "9" * 30, "9" * 5000, "XX-" + "9" * 5000):
            for method in ("get", "patch", "delete"):
                response = getattr(api, method)(self.detail_url(key), {}, format="json")
                assert response.status_code == 404, (method, key[:40])

    def test_no_malformed_body_is_a_server_error(self, api):
        record = self.make(1)
        urls = [
            ("post", self.list_url),
            ("patch", self.detail_url(record.pk)),
            ("put", self.detail_url(record.pk)),
            ("post", self.detail_url(record.pk, "transition")),
            ("post", self.detail_url(record.pk, "revert")),
            ("post", self.bulk_url),
            ("patch", self.bulk_url),
            ("post", self.bulk_archive_url),
            ("post", self.bulk_tags_url),
        ]
        requests = [
            (method, url, {"data": body, "content_type": "application/json"})
            for method, url in urls
            for body in MALFORMED_BODIES
        ]
        assert self._server_errors(api, requests) == []
