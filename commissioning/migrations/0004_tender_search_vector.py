"""On PostgreSQL, a stored full-text vector of each tender with a GIN index.

The public tender search reads it (commissioning.filters.text_search) instead of computing
to_tsvector over every row on every request. Other databases search with a plain match.
"""

from django.db import migrations

ADD = """
ALTER TABLE commissioning_tender ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english'::regconfig,
                          coalesce(summary, '') || ' ' || coalesce(description, '')), 'B')
) STORED;
CREATE INDEX tender_search_vector_idx ON commissioning_tender USING GIN (search_vector);
"""
DROP = """
DROP INDEX IF EXISTS tender_search_vector_idx;
ALTER TABLE commissioning_tender DROP COLUMN IF EXISTS search_vector;
"""


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0003_tender_list_indexes")]
    operations = [migrations.RunPython(add, drop)]
