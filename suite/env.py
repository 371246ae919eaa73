"""The settings' reader of the environment: django-environ's, except that a
value which does not read as the form it must take stops the process with the
variable's name, its value and that form (`DATABASE_CONN_MAX_AGE is 'abc':
expected a whole number`), instead of a bare ValueError, or a typo in a
true/false switch silently read as false."""

import re

import environ
from django.core.exceptions import ImproperlyConfigured

FALSE_STRINGS = ("false", "off", "no", "n", "0")


def _whole_number(value: str) -> int:
    return int(value.strip())


def _number(value: str) -> float:
    return float(value.strip())


def _switch(value: str) -> bool:
    word = value.strip().lower()
    if word in Env.BOOLEAN_TRUE_STRINGS:
        return True
    if word in FALSE_STRINGS:
        return False
    raise ValueError(value)


# What a cast accepts, checked before django-environ reads the value (its own
# float reading drops every character that is no digit: "2O" is 2.0).
FORMS = {
    int: ("a whole number", _whole_number),
    float: ("a number", _number),
    bool: ("true or false (also on/off, yes/no, 1/0)", _switch),
}


def bad_value(var: str, value: str, form: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{var} is {value!r}: expected {form}.")


class Env(environ.Env):
    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        value = self.ENVIRON.get(f"{self.prefix}{var}")
        if value is not None and cast in FORMS:
            form, read = FORMS[cast]
            try:
                return read(value)
            except ValueError:
                raise bad_value(var, value, form) from None
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{var} is {value!r}: {exc}") from None

    def choice(self, var: str, choices: tuple[str, ...], *, default: str) -> str:
        """One of `choices` (written in capitals), whatever the case of the value."""
        value = self.str(var, default=default).strip().upper()
        if value not in choices:
            raise bad_value(var, self.ENVIRON[var], f"one of {', '.join(choices)}")
        return value

    def time_of_day(self, var: str, *, default: str) -> tuple[int, int]:
        """`HH:MM` on a 24-hour clock, as (hour, minute)."""
        value = self.str(var, default=default)
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
        if match is None:
            raise bad_value(var, value, "a time of day as HH:MM, from 00:00 to 23:59")
        return int(match[1]), int(match[2])
