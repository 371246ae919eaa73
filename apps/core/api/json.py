"""The API's JSON: written through orjson, read by DRF's own parser.

The output is byte for byte what DRF's own `JSONRenderer` writes with the
suite's settings (compact, UTF-8, `Z` for UTC, U+2028 / U+2029 escaped, and
DRF's encoder for every type orjson does not know, such as `Decimal` or a lazy
translation); only faster, which a list of 100 records notices. A request for
indented output (`Accept: application/json; indent=4`) is rare and served by
DRF's renderer itself. Request bodies are read by DRF's own strict parser:
orjson would turn an integer beyond 64 bits into an inexact float, and a
body is small enough that its speed does not show.
"""

import codecs
import sys

import orjson
from rest_framework import parsers, renderers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json
from rest_framework.utils.encoders import JSONEncoder

OPTIONS = orjson.OPT_UTC_Z
_LINE_SEPARATOR = "\u2028".encode()
_PARAGRAPH_SEPARATOR = "\u2029".encode()
_encode_other = JSONEncoder().default
_drf_renderer = renderers.JSONRenderer()


class _EscapingRenderer(renderers.JSONRenderer):
    """DRF's, writing every character beyond ASCII as an escape."""

    ensure_ascii = True


_escaping_renderer = _EscapingRenderer()


def dumps(data) -> bytes:
    """`data` as the API's JSON."""
    try:
        content = orjson.dumps(data, default=_encode_other, option=OPTIONS)
    except TypeError:
        # What orjson cannot write, DRF's renderer can: a key that is not a
        # string (DRF keys a list's item errors by index), an integer beyond
        # 64 bits (a JSON field may hold one). A lone surrogate, which a body
        # may hold in a name an error quotes back ("\ud800": unknown field),
        # has no UTF-8 at all: it is written as JSON's escape, as every other
        # character beyond ASCII then is.
        try:
            return _drf_renderer.render(data)
        except UnicodeEncodeError:
            return _escaping_renderer.render(data)
    # As DRF does: JSON that is also valid JavaScript.
    if _LINE_SEPARATOR in content or _PARAGRAPH_SEPARATOR in content:
        content = content.replace(_LINE_SEPARATOR, b"\\u2028").replace(
            _PARAGRAPH_SEPARATOR, b"\\u2029"
        )
    return content


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        return dumps(data)


def whole_number(text: str) -> int:
    """A JSON integer, as Python reads it; one of more digits than Python
    converts (4,300) is refused in the API's words, not Python's."""
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"a number has more than {sys.get_int_max_str_digits()} digits.") from None


class JSONParser(parsers.JSONParser):
    """DRF's parser, naming the API's renderer (for the browsable API). A body
    nested deeper than Python's json reads, or holding a number longer than
    Python converts, is malformed like any other."""

    renderer_class = JSONRenderer

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            return json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=json.strict_constant if self.strict else None,
                parse_int=whole_number,
            )
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
        except ValueError as exc:  # as DRF's parser says it
            raise ParseError(f"JSON parse error - {exc}") from None
