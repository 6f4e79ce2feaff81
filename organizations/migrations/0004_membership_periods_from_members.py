"""Today's members become dated membership periods, and the database refuses a period whose cell is not a
cell of its organisation.

What the old rows say, and what each becomes (nothing is lost; Member keeps its columns as current values):
- an active member: one open period in their current organisation and cell, from their admission date
  (admitted_on) with the reason "kết nạp". The portal never recorded transfers, so the admission date is the
  best date known; a member who in truth transferred in later is counted in that organisation from their
  admission, as every count did before this migration.
- a member no longer active (transferred out or removed): one period from their admission date, closed on the
  day this migration runs with the leave reason matching the status ("chuyển sinh hoạt đi" or "xóa tên").
  When they left was never recorded; closing on the migration day keeps every figure from today on exactly
  as the portal showed it (they are not counted), and for past dates counts them where they last were — the
  closest guess to "was a member then" that the data allows. The admin shows the periods read-only.
- a member who already has a period (rows created after the model existed) is left alone, so running the
  function twice changes nothing.

The trigger is only checked when a period's place is written (insert, or update of its organisation or cell):
a cell that later moves to another organisation leaves the periods of before as they were."""

from datetime import date

from django.db import migrations
from django.utils import timezone

LEAVE_REASON_FOR_STATUS = {"transferred_out": "transferred_out", "removed": "removed", "died": "died"}


def backfill_periods(Member, MembershipPeriod, *, migration_day: date, batch_size: int = 2000) -> int:
    """One period per member that has none (see the module docstring); returns how many were created."""
    with_period = MembershipPeriod.objects.values("member_id")
    members = (
        Member.objects.exclude(pk__in=with_period)
        .order_by("pk")
        .values_list("pk", "organization_id", "cell_id", "admitted_on", "status")
    )
    periods = []
    for pk, organization_id, cell_id, admitted_on, status in members.iterator(chunk_size=batch_size):
        leave_reason = LEAVE_REASON_FOR_STATUS.get(status, "")
        periods.append(
            MembershipPeriod(
                member_id=pk,
                organization_id=organization_id,
                cell_id=cell_id,
                joined_on=admitted_on,
                join_reason="admitted",
                left_on=max(migration_day, admitted_on) if leave_reason else None,
                leave_reason=leave_reason,
            )
        )
    MembershipPeriod.objects.bulk_create(periods, batch_size=batch_size)
    return len(periods)


def forward_data(apps, schema_editor):
    backfill_periods(
        apps.get_model("organizations", "Member"),
        apps.get_model("organizations", "MembershipPeriod"),
        migration_day=timezone.localdate(),
    )


def reverse_data(apps, schema_editor):
    apps.get_model("organizations", "MembershipPeriod").objects.all().delete()


POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION org_member_period_cell_matches() RETURNS trigger AS $$
BEGIN
  IF NEW.cell_id IS NOT NULL AND
     (SELECT organization_id FROM organizations_cell WHERE id = NEW.cell_id) <> NEW.organization_id THEN
    RAISE EXCEPTION 'member_period_cell_outside_organization' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER member_period_cell_matches
  BEFORE INSERT OR UPDATE OF cell_id, organization_id ON organizations_membershipperiod
  FOR EACH ROW EXECUTE FUNCTION org_member_period_cell_matches();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS member_period_cell_matches ON organizations_membershipperiod;
DROP FUNCTION IF EXISTS org_member_period_cell_matches();
"""
_SQLITE_CHECK = """
CREATE TRIGGER member_period_cell_matches_{name} BEFORE {event} ON organizations_membershipperiod
WHEN NEW.cell_id IS NOT NULL
 AND (SELECT organization_id FROM organizations_cell WHERE id = NEW.cell_id) <> NEW.organization_id
BEGIN SELECT RAISE(ABORT, 'member_period_cell_outside_organization'); END;
"""
# SQLite rebuilds organizations_member to change its status constraint (migration 0003), which drops the
# triggers migration 0002 put on it; they are created again here, unchanged.
_SQLITE_MEMBER_CHECK = """
CREATE TRIGGER IF NOT EXISTS member_cell_matches_{event} BEFORE {event} ON organizations_member
WHEN NEW.cell_id IS NOT NULL
 AND (SELECT organization_id FROM organizations_cell WHERE id = NEW.cell_id) <> NEW.organization_id
BEGIN SELECT RAISE(ABORT, 'member_cell_outside_organization'); END;
"""
SQLITE_FORWARD = [
    _SQLITE_CHECK.format(name="INSERT", event="INSERT"),
    _SQLITE_CHECK.format(name="UPDATE", event="UPDATE OF cell_id, organization_id"),
    *(_SQLITE_MEMBER_CHECK.format(event=event) for event in ("INSERT", "UPDATE")),
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS member_period_cell_matches_INSERT",
    "DROP TRIGGER IF EXISTS member_period_cell_matches_UPDATE",
]


def forward_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_membership_periods")]
    operations = [
        migrations.RunPython(forward_triggers, reverse_triggers),
        migrations.RunPython(forward_data, reverse_data),
    ]
