import argparse
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from apps.core.scaffold import ScaffoldError
from apps.core.scaffold.fields import FIELD_SYNTAX
from apps.core.scaffold.plan import plan_entity, plan_tool
from apps.core.scaffold.workflow import WORKFLOW_SYNTAX
from apps.core.scaffold.writer import write_files

EXAMPLE = """\
Example (the testing tool):
  manage.py newtool testing --entity TestRun --prefix TST \\
    --field measured_value:decimal:12.4:optional --field component:fk:components.Component \\
    --status PENDING --status RUNNING::blue --status PASS::green --status FAIL::red \\
    --transition PENDING:RUNNING --transition RUNNING:PASS --transition RUNNING:FAIL
See docs/writing-a-tool.md.
"""

# The options that describe an entity, for a new tool and for --add-entity alike.
ENTITY_OPTIONS = ("prefix", "fields", "statuses", "transitions", "initial", "restore_to", "plural")


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's option order, with the syntax tables below kept as written."""


class Command(BaseCommand):
    help = (
        "Make a tool: apps/<slug>/ with its AppConfig, its entity model and first migration, "
        "and tests/tools/test_<slug>.py. With --add-entity, add an entity to an existing "
        "tool. Nothing is written when any input is refused."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs.setdefault("epilog", "\n".join([FIELD_SYNTAX, WORKFLOW_SYNTAX, EXAMPLE]))
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The tool's package and URL segment, e.g. inventory.")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--entity", metavar="Name", help="A new tool's entity (CapWords).")
        which.add_argument(
            "--add-entity", metavar="Name", help="Add this entity to the existing tool <slug>."
        )
        parser.add_argument(
            "--prefix",
            default="",
            help="Public-id prefix, 2-5 capitals (default: from the name, TestRun -> TST).",
        )
        parser.add_argument(
            "--field",
            action="append",
            default=[],
            dest="fields",
            metavar="SPEC",
            help="name:type[:argument][:option...]; see below.",
        )
        parser.add_argument(
            "--plural", default="", help='Plural name when "<name>s" is wrong ("batteries").'
        )
        parser.add_argument("--status", action="append", default=[], dest="statuses")
        parser.add_argument("--transition", action="append", default=[], dest="transitions")
        parser.add_argument("--initial")
        parser.add_argument("--restore-to")
        parser.add_argument("--display-name", default="", help="New tool: name shown to users.")
        parser.add_argument("--icon", default="box", help="New tool: icon name (lucide).")
        parser.add_argument("--description", default="", help="New tool: one sentence.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the files instead of writing them."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        project_dir = settings.BASE_DIR
        entity_options = {key: options[key] for key in ENTITY_OPTIONS}
        try:
            if options["entity"]:
                plan = plan_tool(
                    project_dir,
                    options["slug"],
                    options["entity"],
                    display_name=options["display_name"],
                    icon=options["icon"],
                    description=options["description"],
                    **entity_options,
                )
            else:
                self._refuse_tool_options(options)
                plan = plan_entity(
                    project_dir, options["slug"], options["add_entity"], **entity_options
                )
            if options["dry_run"]:
                self._print_files(plan)
                return
            migrations = write_files(project_dir, plan.files, plan.slug)
        except ScaffoldError as exc:
            raise CommandError(str(exc)) from None
        self._report(plan, migrations, time.monotonic() - started)

    def _refuse_tool_options(self, options):
        given = [
            f"--{name.replace('_', '-')}"
            for name, default in (("display_name", ""), ("icon", "box"), ("description", ""))
            if options[name] != default
        ]
        if given:
            raise ScaffoldError(f"{', '.join(given)} only apply to a new tool (--entity).")

    def _print_files(self, plan):
        for path, text in plan.files.items():
            self.stdout.write(self.style.MIGRATE_HEADING(f"--- {path}"))
            self.stdout.write(text, ending="" if text.endswith("\n") or not text else "\n")
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"--- apps/{plan.slug}/migrations/: ")
            + "the next migration, made by makemigrations when the files are written."
        )
        self.stdout.write("Dry run: nothing was written.")

    def _report(self, plan, migrations, seconds):
        entity = plan.entity
        what = f"the tool '{plan.slug}'" if plan.new_tool else f"{entity.name} in '{plan.slug}'"
        self.stdout.write(self.style.SUCCESS(f"Made {what} in {seconds:.1f} s:"))
        for path in sorted([*plan.files, *migrations]):
            self.stdout.write(f"  {path}")
        self.stdout.write(
            f"\n{entity.name} ({entity.prefix}-0001, …) is served at "
            f"/api/v1/{plan.slug}/{entity.path}/, in the admin and in the web app.\n"
            "Next: `make run` migrates and serves it; "
            f"`make test-python PYTEST_ARGS=tests/tools/test_{plan.slug}.py` runs its tests.\n"
            "To change its serializer, filters, views or admin, see docs/writing-a-tool.md."
        )
