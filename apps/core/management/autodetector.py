"""The migration autodetector of `makemigrations` and `migrate`: Django's,
able to change a generated column.

An entity's `search_text` is computed from its `searched_fields`
(`apps.core.models.search.SearchTextField`), so declaring another searched
field changes the column's expression. Django writes that as an `AlterField`,
which no database it supports can run ("Modifying GeneratedFields is not
supported"; PostgreSQL 15 has no `SET EXPRESSION`): here it is written as
the column's indexes removed, the column removed and added again with its
new expression, and its indexes added again, which every database runs.
"""

from django.db.migrations import autodetector, operations
from django.db.migrations.autodetector import OperationDependency
from django.db.models import F


class MigrationAutodetector(autodetector.MigrationAutodetector):
    def generate_altered_fields(self):
        remade = {key for key in self.old_field_keys & self.new_field_keys if self._remade(*key)}
        self.new_field_keys -= remade
        try:
            super().generate_altered_fields()
        finally:
            self.new_field_keys |= remade
        for app_label, model_name, field_name in sorted(remade):
            self._generate_remade_field(app_label, model_name, field_name)

    def _remade(self, app_label, model_name, field_name) -> bool:
        """Whether the field is a generated column whose definition changed."""
        old, new = self._old_and_new_field(app_label, model_name, field_name)
        return (
            old.generated
            and new.generated
            and self.deep_deconstruct(old) != self.deep_deconstruct(new)
        )

    def _old_and_new_field(self, app_label, model_name, field_name) -> tuple:
        old_model_name = self.renamed_models.get((app_label, model_name), model_name)
        old = self.from_state.models[app_label, old_model_name].get_field(field_name)
        return old, self.to_state.models[app_label, model_name].get_field(field_name)

    def _generate_remade_field(self, app_label, model_name, field_name):
        old_model_name = self.renamed_models.get((app_label, model_name), model_name)
        for index in self._indexes_on(self.from_state, app_label, old_model_name, field_name):
            self.add_operation(
                app_label, operations.RemoveIndex(model_name=model_name, name=index.name)
            )
        self._generate_removed_field(app_label, model_name, field_name)
        self._generate_added_field(app_label, model_name, field_name)
        added = OperationDependency(
            app_label, model_name, field_name, OperationDependency.Type.CREATE
        )
        for index in self._indexes_on(self.to_state, app_label, model_name, field_name):
            self.add_operation(
                app_label,
                operations.AddIndex(model_name=model_name, index=index),
                dependencies=[added],
            )

    @staticmethod
    def _indexes_on(state, app_label, model_name, field_name) -> list:
        indexes = state.models[app_label, model_name].options.get("indexes", [])
        return [index for index in indexes if field_name in index_field_names(index)]


def index_field_names(index) -> set[str]:
    """The fields an index reads: those it names, and those its expressions refer to."""
    names = {name.lstrip("-") for name in index.fields}
    for expression in index.expressions:
        names.update(_referenced_names(expression))
    return names


def _referenced_names(expression):
    if isinstance(expression, F):
        yield expression.name
    else:
        for source in expression.get_source_expressions():
            yield from _referenced_names(source)
