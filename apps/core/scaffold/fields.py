"""`--field name:type[:argument][:option…]`: one field of an entity, parsed
from the command line and written as a model field."""

import datetime
import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.scaffold import ScaffoldError
from apps.core.scaffold.pycode import Call, Import, List, kwarg, py_str

FIELD_SYNTAX = """\
Fields: --field name:type[:argument][:option...]  (repeat for each field)
  str[:N]          text up to N characters (default 255)
  text             long text
  int              whole number
  decimal[:D.P]    D digits, P of them after the point (default 12.2)
  bool             true / false (default false)
  date, datetime   a day; a moment (with time zone)
  email, url       validated addresses
  json             any JSON value
  choice:a|b|c     one of the values; labels derived (in_progress -> "In progress", an
                   abbreviation of up to 4 capitals as it is: EUR) or given (EUR=Euro)
  fk:tool.Entity   link to one record of an entity (this or another tool)
  m2m:tool.Entity  links to any number of records
  user             link to a person (a user of the suite), chosen by name in the web app
Options:
  unique           no two records share the value (str, int, decimal, date, datetime,
                   email, url)
  searched         ?search= (and the admin's search) looks in it too, besides the public
                   id, name and description (str, text, email, url)
  optional         may be left empty (all but bool: a bool always has a value)
  min=X, max=X     bounds, checked by the API and the database (int, decimal)
  default=X        the value of a new record; must come last, it takes the rest of the
                   spec (colons included). date: today or YYYY-MM-DD; datetime: now;
                   json: {}, [] or a scalar; bool: true / false
Example: --field part_number:str:64:unique --field unit_cost:decimal:12.2:min=0:default=0
"""

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
CHOICE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
ABBREVIATION_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{0,3}$")
TARGET_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[A-Za-z][A-Za-z0-9]*$")
DECIMAL_PATTERN = re.compile(r"^(\d+)\.(\d+)$")
STRING_TYPES = frozenset({"str", "text", "email", "url", "choice"})
# The options that take no value.
FLAGS = frozenset({"unique", "optional", "searched"})


@dataclass(frozen=True)
class FieldType:
    model_field: str
    options: frozenset[str]
    argument: str = ""  # what the optional third part means: length, digits, values, target
    argument_required: bool = False


_COMMON = frozenset({"unique", "optional", "default"})
_SEARCHABLE = _COMMON | {"searched"}
FIELD_TYPES = {
    "str": FieldType("CharField", _SEARCHABLE, "length"),
    "text": FieldType("TextField", frozenset({"optional", "default", "searched"})),
    "int": FieldType("IntegerField", _COMMON | {"min", "max"}),
    "decimal": FieldType("DecimalField", _COMMON | {"min", "max"}, "digits"),
    "bool": FieldType("BooleanField", frozenset({"default"})),
    "date": FieldType("DateField", _COMMON),
    "datetime": FieldType("DateTimeField", _COMMON),
    "email": FieldType("EmailField", _SEARCHABLE),
    "url": FieldType("URLField", _SEARCHABLE),
    "json": FieldType("JSONField", frozenset({"optional", "default"})),
    "choice": FieldType("CharField", frozenset({"optional", "default"}), "values", True),
    "fk": FieldType("ForeignKey", frozenset({"optional"}), "target", True),
    "m2m": FieldType("ManyToManyField", frozenset({"optional"}), "target", True),
    "user": FieldType("ForeignKey", frozenset({"optional"})),
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    max_length: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    target: str = ""  # "tool.Entity", as given; checks.py resolves it
    unique: bool = False
    optional: bool = False
    searched: bool = False  # among the entity's `searched_fields`
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    default: object = None  # the Python value; None when not given

    @property
    def is_relation(self) -> bool:
        return self.type in {"fk", "m2m"}

    @property
    def attnames(self) -> set[str]:
        """The attribute names the field takes on the model."""
        return {self.name, f"{self.name}_id"} if self.type in {"fk", "user"} else {self.name}


def default_label(value: str) -> str:
    """`in_progress` -> "In progress", `PASS` -> "Pass"."""
    words = re.sub(r"[_-]+", " ", value).strip()
    return words.capitalize() if words.isupper() else words[:1].upper() + words[1:]


def choice_label(value: str) -> str:
    """A choice's label when none is given: `in_progress` -> "In progress", but
    an abbreviation (up to 4 capitals, such as a currency code) as it is: `EUR`."""
    return value if ABBREVIATION_PATTERN.match(value) else default_label(value)


def parse_field(text: str) -> FieldSpec:
    """Parse one `--field` value; the message of any error quotes it."""
    try:
        return _parse(text)
    except ScaffoldError as exc:
        raise ScaffoldError(f"--field {text}: {exc}") from None


def _parse(text: str) -> FieldSpec:
    head, has_default, default = text.partition(":default=")
    parts = head.split(":")
    if head.startswith("default=") or len(parts) < 2 or not all(parts):
        raise ScaffoldError("expected name:type[:argument][:option...]")
    name, type_name, rest = parts[0], parts[1], parts[2:]
    if not NAME_PATTERN.match(name):
        raise ScaffoldError(
            f"field name {name!r} must be lowercase letters, digits and underscores, "
            "starting with a letter."
        )
    field_type = FIELD_TYPES.get(type_name)
    if field_type is None:
        raise ScaffoldError(
            f"unknown field type {type_name!r}; the types are {', '.join(FIELD_TYPES)}."
        )
    values: dict = {"name": name, "type": type_name}
    if field_type.argument and rest and not _is_option(rest[0]):
        values.update(_parse_argument(field_type.argument, rest.pop(0)))
    elif field_type.argument_required:
        raise ScaffoldError(f"type {type_name} needs {_ARGUMENT_HELP[field_type.argument]}.")
    values.setdefault("max_length", 255 if type_name == "str" else None)
    if type_name == "decimal":
        values.setdefault("max_digits", 12)
        values.setdefault("decimal_places", 2)
    options = [*rest, *([f"default={default}"] if has_default else [])]
    for option in options:
        key, has_value, value = option.partition("=")
        if key not in {*FLAGS, "min", "max", "default"} or (
            bool(has_value) != (key in {"min", "max", "default"})
        ):
            raise ScaffoldError(
                f"unknown option {option!r}; the options are unique, optional, searched, "
                "min=, max=, default=."
            )
        if key not in field_type.options:
            raise ScaffoldError(f"option {key} does not apply to type {type_name}.")
        if key in values:
            raise ScaffoldError(f"option {key} is given twice.")
        values[key] = True if key in FLAGS else value
    if values.get("unique") and values.get("optional") and type_name in STRING_TYPES:
        raise ScaffoldError("a unique text field cannot be optional: two empty values would clash.")
    spec = FieldSpec(
        **{k: v for k, v in values.items() if k not in {"min", "max", "default"}},
        minimum=_parse_bound(values, "min"),
        maximum=_parse_bound(values, "max"),
    )
    if spec.minimum is not None and spec.maximum is not None and spec.minimum > spec.maximum:
        raise ScaffoldError(f"min={spec.minimum} is greater than max={spec.maximum}.")
    if "default" in values:
        spec = replace(spec, default=_parse_default(spec, values["default"]))
    elif type_name == "bool":
        spec = replace(spec, default=False)
    return spec


_ARGUMENT_HELP = {
    "length": "a maximum length such as 64",
    "digits": "digits and decimal places such as 12.2",
    "values": "its values, such as low|medium|high",
    "target": "the entity it links to, such as components.Component",
}


def _is_option(part: str) -> bool:
    return part in FLAGS or part.partition("=")[0] in {"min", "max"}


def _parse_argument(kind: str, value: str) -> dict:
    if kind == "length":
        if not value.isdigit() or int(value) < 1:
            raise ScaffoldError(f"the length must be a positive whole number, not {value!r}.")
        return {"max_length": int(value)}
    if kind == "digits":
        match = DECIMAL_PATTERN.match(value)
        digits, places = (int(match[1]), int(match[2])) if match else (0, 0)
        if not match or digits < 1 or places > digits:
            raise ScaffoldError(
                f"decimal needs digits.places with places <= digits (like 12.2), not {value!r}."
            )
        return {"max_digits": digits, "decimal_places": places}
    if kind == "values":
        choices = tuple(_parse_choice(text) for text in value.split("|"))
        values = [choice for choice, _ in choices]
        bad = [c for c in values if not CHOICE_PATTERN.match(c)]
        if bad or len(set(values)) != len(values):
            raise ScaffoldError(
                f"choice values are distinct words of letters, digits, _ and - separated "
                f"by |, each with an optional =Label (EUR=Euro), not {value!r}."
            )
        return {"choices": choices, "max_length": max(32, *map(len, values))}
    if not TARGET_PATTERN.match(value):
        raise ScaffoldError(
            f"the target is tool.Entity, such as components.Component, not {value!r}."
        )
    return {"target": value}


def _parse_choice(text: str) -> tuple[str, str]:
    """`EUR=Euro` -> ("EUR", "Euro"); `EUR` -> ("EUR", "EUR")."""
    value, labelled, label = text.partition("=")
    if labelled and not label.strip():
        raise ScaffoldError(f"the choice {text!r} gives no label after =.")
    return value, label.strip() or choice_label(value)


def _parse_bound(values: dict, key: str):
    raw = values.get(key)
    if raw is None:
        return None
    try:
        number = int(raw) if values["type"] == "int" else Decimal(raw)
    except (ValueError, InvalidOperation):
        raise ScaffoldError(f"{key}={raw} is not a number.") from None
    if isinstance(number, Decimal) and not number.is_finite():
        raise ScaffoldError(f"{key}={raw} is not a number.")
    return number


def django_field(spec: FieldSpec) -> models.Field:
    """The model field the spec describes, for validating values against it
    (relations excluded: they have no literal values)."""
    validators = []
    if spec.minimum is not None:
        validators.append(MinValueValidator(spec.minimum))
    if spec.maximum is not None:
        validators.append(MaxValueValidator(spec.maximum))
    return {
        "str": lambda: models.CharField(max_length=spec.max_length),
        "text": models.TextField,
        "int": lambda: models.IntegerField(validators=validators),
        "decimal": lambda: models.DecimalField(
            max_digits=spec.max_digits, decimal_places=spec.decimal_places, validators=validators
        ),
        "bool": models.BooleanField,
        "date": models.DateField,
        "email": models.EmailField,
        "url": models.URLField,
        "choice": lambda: models.CharField(max_length=spec.max_length, choices=list(spec.choices)),
    }[spec.type]()


class _Today:
    """`default=today` on a date: the day the record is created."""


class _Now:
    """`default=now` on a datetime: the moment the record is created."""


def _parse_default(spec: FieldSpec, raw: str):
    if spec.type == "date" and raw == "today":
        return _Today
    if spec.type == "datetime":
        if raw != "now":
            raise ScaffoldError("a datetime default can only be now.")
        return _Now
    if spec.type == "json":
        return _parse_json_default(raw)
    if spec.type == "bool":
        if raw.lower() not in {"true", "false"}:
            raise ScaffoldError(f"default={raw}: a bool default is true or false.")
        return raw.lower() == "true"
    try:
        return django_field(spec).clean(raw, None)
    except ValidationError as exc:
        raise ScaffoldError(f"default={raw}: {' '.join(exc.messages)}") from None


def _parse_json_default(raw: str):
    try:
        value = json.loads(raw)
    except ValueError:
        raise ScaffoldError(f"default={raw} is not JSON.") from None
    if value is None:
        raise ScaffoldError("default=null: make the field optional instead.")
    if isinstance(value, (dict, list)) and value:
        raise ScaffoldError("a json default is {}, [] or a single value, never a shared object.")
    return value


# --- Writing the field -----------------------------------------------------------------


@dataclass(frozen=True)
class FieldCode:
    """A field as source: its assignment value, the imports it needs and
    the database constraints that back its bounds."""

    value: Call
    imports: frozenset[Import]
    constraints: tuple[Call, ...]


def field_code(spec: FieldSpec, model_label: str) -> FieldCode:
    """`model_label` is `<tool>_<model name>`, the prefix of constraint names."""
    imports = {Import("django.db", "models")}
    args: list = []
    if spec.is_relation:
        args.append(py_str(spec.target))
        if spec.type == "fk":
            args.append(kwarg("on_delete", "models.PROTECT"))
        # Tools do not grow attributes on each other's models; query from this side.
        args.append(kwarg("related_name", py_str("+")))
    if spec.type == "user":
        # A person named on a record cannot be deleted (deactivate them instead):
        # SET_NULL would change the record with no audit entry.
        imports.add(Import("django.conf", "settings"))
        args += [
            "settings.AUTH_USER_MODEL",
            kwarg("on_delete", "models.PROTECT"),
            kwarg("related_name", py_str("+")),
        ]
    if spec.type in {"str", "choice"}:
        args.append(kwarg("max_length", spec.max_length))
    if spec.type == "decimal":
        args += [kwarg("max_digits", spec.max_digits), kwarg("decimal_places", spec.decimal_places)]
    if spec.choices:
        pairs = tuple(f"({py_str(value)}, {py_str(label)})" for value, label in spec.choices)
        args.append(kwarg("choices", List(pairs)))
    if spec.unique:
        args.append(kwarg("unique", "True"))
    if spec.optional:
        if spec.type not in STRING_TYPES and spec.type != "m2m":
            args.append(kwarg("null", "True"))
        args.append(kwarg("blank", "True"))
    if spec.default is not None:
        source, needed = _value_source(spec, spec.default)
        args.append(kwarg("default", source))
        imports |= needed
    validators, constraints = [], []
    for bound, lookup, validator in (
        (spec.minimum, "gte", "MinValueValidator"),
        (spec.maximum, "lte", "MaxValueValidator"),
    ):
        if bound is None:
            continue
        source, needed = _value_source(spec, bound)
        imports |= {*needed, Import("django.core.validators", validator)}
        validators.append(Call(validator, (source,)))
        suffix = "min" if lookup == "gte" else "max"
        constraints.append(
            Call(
                "models.CheckConstraint",
                (
                    kwarg("condition", Call("models.Q", (f"{spec.name}__{lookup}={source}",))),
                    kwarg("name", py_str(f"{model_label}_{spec.name}_{suffix}")),
                ),
            )
        )
    if validators:
        args.append(kwarg("validators", List(tuple(validators))))
    value = Call(f"models.{FIELD_TYPES[spec.type].model_field}", tuple(args))
    return FieldCode(value, frozenset(imports), tuple(constraints))


def _value_source(spec: FieldSpec, value) -> tuple[str, set[Import]]:
    """A literal value of the field as source, with the imports it needs."""
    if value is _Today:
        return "timezone.localdate", {Import("django.utils", "timezone")}
    if value is _Now:
        return "timezone.now", {Import("django.utils", "timezone")}
    if spec.type == "json" and isinstance(value, (dict, list)):
        return type(value).__name__, set()
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and abs(value) < 10**15:
            return str(int(value)), set()
        return f"Decimal({py_str(str(value))})", {Import("decimal", "Decimal")}
    if isinstance(value, datetime.date):
        return repr(value), {Import("datetime")}
    if isinstance(value, str):
        return py_str(value), set()
    return repr(value), set()
