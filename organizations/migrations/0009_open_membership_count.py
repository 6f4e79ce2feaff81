"""The open membership periods of each base organisation, counted by the database itself (issue 13): the
organisation list's and the dashboard's member totals on a date read them and the periods that changed after
the date instead of every period (organizations.models.OpenMembershipCount, selectors._members_count).

The triggers fire for every writer (services, bulk_create, queryset UPDATEs, the factories), on PostgreSQL and
SQLite alike: an insert of an open period adds one to its organisation, a delete of one takes one away, an
update that touches left_on or organization_id takes the old row out and puts the new one in."""

import django.db.models.deletion
from django.db import migrations, models

COUNTER = "organizations_openmembershipcount"
PERIODS = "organizations_membershipperiod"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION org_open_membership_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF OLD.left_on IS NULL THEN
      UPDATE {COUNTER} SET open_periods = open_periods - 1 WHERE organization_id = OLD.organization_id;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW.left_on IS NULL THEN
      INSERT INTO {COUNTER} (organization_id, open_periods) VALUES (NEW.organization_id, 1)
      ON CONFLICT (organization_id) DO UPDATE SET open_periods = {COUNTER}.open_periods + 1;
    END IF;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER memberperiod_open_count AFTER INSERT OR DELETE OR UPDATE OF left_on, organization_id ON {PERIODS}
  FOR EACH ROW EXECUTE FUNCTION org_open_membership_count();
"""
POSTGRES_REVERSE = f"""
DROP TRIGGER IF EXISTS memberperiod_open_count ON {PERIODS};
DROP FUNCTION IF EXISTS org_open_membership_count();
"""

_SQLITE_ADD = f"""INSERT OR IGNORE INTO {COUNTER} (organization_id, open_periods) VALUES (NEW.organization_id, 0);
UPDATE {COUNTER} SET open_periods = open_periods + 1 WHERE organization_id = NEW.organization_id;"""
_SQLITE_TAKE = f"UPDATE {COUNTER} SET open_periods = open_periods - 1 WHERE organization_id = OLD.organization_id;"
_WATCHED = f"UPDATE OF left_on, organization_id ON {PERIODS}"
SQLITE_FORWARD = [
    f"CREATE TRIGGER memberperiod_open_count_insert AFTER INSERT ON {PERIODS} WHEN NEW.left_on IS NULL "
    f"BEGIN {_SQLITE_ADD} END;",
    f"CREATE TRIGGER memberperiod_open_count_delete AFTER DELETE ON {PERIODS} WHEN OLD.left_on IS NULL "
    f"BEGIN {_SQLITE_TAKE} END;",
    f"CREATE TRIGGER memberperiod_open_count_update_old AFTER {_WATCHED} WHEN OLD.left_on IS NULL "
    f"BEGIN {_SQLITE_TAKE} END;",
    f"CREATE TRIGGER memberperiod_open_count_update_new AFTER {_WATCHED} WHEN NEW.left_on IS NULL "
    f"BEGIN {_SQLITE_ADD} END;",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS memberperiod_open_count_{event}"
    for event in ("insert", "delete", "update_old", "update_new")
]
# The periods already written (a database migrated with members): counted once, the triggers keep it after.
BACKFILL = f"""
INSERT INTO {COUNTER} (organization_id, open_periods)
SELECT organization_id, COUNT(*) FROM {PERIODS} WHERE left_on IS NULL GROUP BY organization_id
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES_FORWARD], "sqlite": SQLITE_FORWARD}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"organizations 0009: no trigger for {vendor}")
    schema_editor.execute(f"DELETE FROM {COUNTER}")
    schema_editor.execute(BACKFILL)
    for statement in statements:
        schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": [POSTGRES_REVERSE], "sqlite": SQLITE_REVERSE}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0008_member_search_order'),
    ]

    operations = [
        migrations.CreateModel(
            name='OpenMembershipCount',
            fields=[
                ('organization', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='open_membership_count', serialize=False, to='organizations.baseorganization', verbose_name='tổ chức cơ sở đảng')),
                ('open_periods', models.IntegerField(default=0, verbose_name='số quá trình sinh hoạt đang mở')),
            ],
            options={
                'verbose_name': 'số đảng viên đang sinh hoạt (đếm sẵn)',
                'verbose_name_plural': 'số đảng viên đang sinh hoạt (đếm sẵn)',
            },
        ),
        migrations.AddIndex(
            model_name='membershipperiod',
            index=models.Index(condition=models.Q(('left_on__isnull', True)), fields=['joined_on', 'organization'], name='memberperiod_open_start_idx'),
        ),
        migrations.AddIndex(
            model_name='membershipperiod',
            index=models.Index(condition=models.Q(('left_on__isnull', False)), fields=['left_on', 'joined_on', 'organization'], name='memberperiod_closed_end_idx'),
        ),
        migrations.RunPython(forward, reverse),
    ]
