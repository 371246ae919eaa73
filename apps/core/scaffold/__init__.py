"""The tool generator behind `manage.py newtool`.

`fields` and `workflow` parse the command line into a spec, `checks` holds
the spec against the project (reserved names, clashes, prefixes, relation
targets), `render` turns it into source files from the templates next to it,
and `writer` puts the files in place atomically and makes the migration.
"""


class ScaffoldError(ValueError):
    """Input the generator refuses; the message says what to change."""
