"""Hierarchy invariants the database itself enforces, on PostgreSQL and SQLite alike:
- a subordinate cell's parent is a đảng bộ cơ sở (kind = committee);
- a base organisation that has cells cannot become a chi bộ cơ sở;
- a member's cell belongs to the member's base organisation.
Cycles are impossible by construction: cells hang under base organisations, which hang under the bloc."""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION org_cell_parent_is_committee() RETURNS trigger AS $$
BEGIN
  IF (SELECT kind FROM organizations_baseorganization WHERE id = NEW.organization_id) <> 'committee' THEN
    RAISE EXCEPTION 'cell_parent_must_be_committee' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER cell_parent_is_committee BEFORE INSERT OR UPDATE OF organization_id ON organizations_cell
  FOR EACH ROW EXECUTE FUNCTION org_cell_parent_is_committee();

CREATE OR REPLACE FUNCTION org_kind_keeps_cells() RETURNS trigger AS $$
BEGIN
  IF NEW.kind <> 'committee' AND EXISTS (SELECT 1 FROM organizations_cell WHERE organization_id = NEW.id) THEN
    RAISE EXCEPTION 'organization_with_cells_must_be_committee' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER baseorg_kind_keeps_cells BEFORE UPDATE OF kind ON organizations_baseorganization
  FOR EACH ROW EXECUTE FUNCTION org_kind_keeps_cells();

CREATE OR REPLACE FUNCTION org_member_cell_matches() RETURNS trigger AS $$
BEGIN
  IF NEW.cell_id IS NOT NULL AND
     (SELECT organization_id FROM organizations_cell WHERE id = NEW.cell_id) <> NEW.organization_id THEN
    RAISE EXCEPTION 'member_cell_outside_organization' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER member_cell_matches BEFORE INSERT OR UPDATE OF cell_id, organization_id ON organizations_member
  FOR EACH ROW EXECUTE FUNCTION org_member_cell_matches();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS cell_parent_is_committee ON organizations_cell;
DROP FUNCTION IF EXISTS org_cell_parent_is_committee();
DROP TRIGGER IF EXISTS baseorg_kind_keeps_cells ON organizations_baseorganization;
DROP FUNCTION IF EXISTS org_kind_keeps_cells();
DROP TRIGGER IF EXISTS member_cell_matches ON organizations_member;
DROP FUNCTION IF EXISTS org_member_cell_matches();
"""

_SQLITE_CELL_CHECK = """
CREATE TRIGGER cell_parent_is_committee_{event} BEFORE {event} ON organizations_cell
WHEN (SELECT kind FROM organizations_baseorganization WHERE id = NEW.organization_id) <> 'committee'
BEGIN SELECT RAISE(ABORT, 'cell_parent_must_be_committee'); END;
"""
_SQLITE_MEMBER_CHECK = """
CREATE TRIGGER member_cell_matches_{event} BEFORE {event} ON organizations_member
WHEN NEW.cell_id IS NOT NULL
 AND (SELECT organization_id FROM organizations_cell WHERE id = NEW.cell_id) <> NEW.organization_id
BEGIN SELECT RAISE(ABORT, 'member_cell_outside_organization'); END;
"""
SQLITE_FORWARD = [
    *(_SQLITE_CELL_CHECK.format(event=e) for e in ("INSERT", "UPDATE")),
    *(_SQLITE_MEMBER_CHECK.format(event=e) for e in ("INSERT", "UPDATE")),
    """
CREATE TRIGGER baseorg_kind_keeps_cells BEFORE UPDATE OF kind ON organizations_baseorganization
WHEN NEW.kind <> 'committee' AND EXISTS (SELECT 1 FROM organizations_cell WHERE organization_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'organization_with_cells_must_be_committee'); END;
""",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "cell_parent_is_committee_INSERT",
        "cell_parent_is_committee_UPDATE",
        "member_cell_matches_INSERT",
        "member_cell_matches_UPDATE",
        "baseorg_kind_keeps_cells",
    )
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
