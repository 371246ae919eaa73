"""The API's JSON goes through orjson (apps/core/api/json.py) and stays
exactly what DRF's own renderer and parser make of it."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict

from apps.core.api.json import JSONRenderer

LIST = "/api/v1/components/components/"

PAYLOAD = {
    "text": "Ünïcode, \u2028 and \u2029, </script>",
    "decimal": Decimal("12.50"),
    "utc": datetime.datetime(2026, 11, 26, 9, 0, 0, 123456, tzinfo=datetime.UTC),
    "offset": datetime.datetime(
        2026, 11, 26, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    ),
    "naive": datetime.datetime(2026, 11, 26, 9, 0),
    "date": datetime.date(2026, 11, 26),
    "time": datetime.time(9, 30),
    "duration": datetime.timedelta(minutes=90),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("This field is required."),
    "error": ErrorDetail("Bad value.", code="invalid"),
    "nested": ReturnDict({"list": [1, 2.5, True, None], "set": {"x"}}, serializer=None),
    "big": 2**60,
}


def test_integers_beyond_64_bits_are_written_as_drf_writes_them():
    data = {"settings": {"big": 10**30, "small": [-(2**70), 1]}}
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_keys_that_are_not_strings_are_written_as_drf_writes_them():
    # DRF keys the errors of a list's items by their index.
    data = {
        "errors": {"tags": {0: ["Not a valid string."], 3: ["Too long."]}},
        "flags": {1.5: True},
    }
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_a_lone_surrogate_is_written_escaped():
    # orjson refuses it, and DRF's renderer cannot encode it as UTF-8.
    data = {"errors": {"\ud800": ["Unknown field."]}, "name": "Ünï"}
    content = JSONRenderer().render(data)
    assert content.isascii()
    assert json.loads(content) == data


def test_the_renderer_writes_what_drfs_writes():
    drf = renderers.JSONRenderer().render(PAYLOAD)
    ours = JSONRenderer().render(PAYLOAD)
    assert ours == drf
    assert b"\\u2028" in ours
    assert "\u2028".encode() not in ours


def test_indented_output_is_drfs():
    media_type = "application/json; indent=2"
    assert JSONRenderer().render(PAYLOAD, media_type) == renderers.JSONRenderer().render(
        PAYLOAD, media_type
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [b'{"name": "x",', b'{"name": NaN}', b"\xff\xfe", b'{"name": "x"} trailing', b"[" * 5000],
    ids=["truncated", "nan", "not-utf8", "trailing", "nested-too-deeply"],
)
def test_a_body_that_is_not_json_is_a_400_saying_so(api, body):
    response = api.generic("POST", LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - ")


@pytest.mark.django_db
def test_responses_are_compact_utf8_json(api):
    response = api.post(LIST, {"name": "Capteur ünï", "part_number": "P-1"}, format="json")
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert "Capteur ünï".encode() in response.content
    assert b'", "' not in response.content
    assert b'": ' not in response.content


@pytest.mark.django_db
def test_an_integer_beyond_64_bits_reaches_validation_exactly(api):
    big = 10**23
    body = f'{{"name": "x", "part_number": "P-1", "quantity_on_hand": {big}}}'.encode()
    response = api.generic("POST", LIST, body, content_type="application/json")
    assert response.status_code == 400
    # Read as the integer it is (not the float 1e+23), so the range check answers.
    assert "less than or equal to" in response.json()["errors"]["quantity_on_hand"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"name": "x", "part_number": "P-1", "\\ud800": 1}', "\ud800"),
        (b'{"name": "x", "part_number": "P-1", "status": "\\ud800"}', "status"),
    ],
    ids=["a name", "a choice"],
)
def test_a_lone_surrogate_quoted_in_an_error_is_a_400(api, body, field):
    response = api.generic("POST", LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


@pytest.mark.django_db
def test_a_number_longer_than_python_reads_is_a_400_in_the_apis_words(api):
    body = b'{"name": "x", "part_number": "P-1", "quantity_on_hand": ' + b"9" * 5000 + b"}"
    response = api.generic("POST", LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "JSON parse error - a number has more than 4300 digits."
    # A number Python reads is the field's to judge.
    body = b'{"name": "x", "part_number": "P-1", "quantity_on_hand": ' + b"9" * 4300 + b"}"
    response = api.generic("POST", LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["quantity_on_hand"]
