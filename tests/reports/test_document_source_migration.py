"""reports 0010: a document's campaign or cycle becomes its generic source, issued documents included (the
register's trigger refuses their UPDATE, so the migration lifts it for the copy and puts it back), and back.

On PostgreSQL the migrations run inside the test's transaction (its DDL is transactional), so the rollback puts
the database back at the latest migrations for the rest of this worker's tests; SQLite rebuilds tables outside
any transaction, so there the test commits and migrates forward at the end. Only 0010 is applied and unapplied
between the two checks (the later migrations are unapplied once, before them)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from democracy_regs.models import DemocracyCycle
from models_danvan.models import Campaign
from tests.democracy_regs.factories import open_cycle
from tests.factories import CampaignFactory
from tests.reports.factories import IssuingBodyFactory, TermFactory

IN_TRANSACTION = connection.vendor == "postgresql"
pytestmark = pytest.mark.django_db(transaction=not IN_TRANSACTION)

BEFORE = ("reports", "0009_document_content_sections")
AFTER = ("reports", "0010_document_source")


def _checks_now():
    """PostgreSQL refuses to ALTER a table whose deferred foreign-key checks are still pending in the transaction:
    the rows written so far are checked at once (a commit would have checked them)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _migrate(target):
    if IN_TRANSACTION:
        _checks_now()
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def _migrate_forward():
    """To the latest migration of every app (SQLite only: the other apps' migrations after 0010 must be back for
    the rest of this worker's tests, or their columns are missing)."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_campaign_and_cycle_become_the_source_and_come_back(bloc, staff_user):
    campaign, cycle = CampaignFactory(year=2024), open_cycle(staff_user)
    body, term = IssuingBodyFactory(bloc=bloc), TermFactory(bloc=bloc)
    try:
        old = _migrate(BEFORE)
        OldDocument = old.get_model("reports", "Document")  # noqa: N806 (a model class)
        common = {"doc_type": "BC", "issuing_body_id": body.pk, "content": {"subject": "x"}}
        issued = OldDocument.objects.create(
            kind="danvan_report",
            campaign_id=campaign.pk,
            status="issued",
            number=7,
            term_id=term.pk,
            issued_on=date(2024, 12, 20),
            issued_at=datetime(2024, 12, 20, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
            issued_by_id=staff_user.pk,
            created_by_id=staff_user.pk,
            **common,
        )
        draft = OldDocument.objects.create(kind="qcdc_report", cycle_id=cycle.pk, created_by_id=staff_user.pk, **common)
        other = OldDocument.objects.create(kind="other", created_by_id=staff_user.pk, **common)

        new = _migrate(AFTER)
        NewDocument = new.get_model("reports", "Document")  # noqa: N806
        campaign_type, cycle_type = (ContentType.objects.get_for_model(model) for model in (Campaign, DemocracyCycle))
        # The generic source (a GenericForeignKey, which migration states leave out) as its two columns.
        assert NewDocument.objects.filter(pk=issued.pk, source_type_id=campaign_type.pk, source_id=campaign.pk).exists()
        assert NewDocument.objects.filter(pk=draft.pk, source_type_id=cycle_type.pk, source_id=cycle.pk).exists()
        assert NewDocument.objects.filter(pk=other.pk, source_type__isnull=True, source_id__isnull=True).exists()
        # The issued row is frozen again.
        with pytest.raises(DatabaseError), transaction.atomic():
            NewDocument.objects.filter(pk=issued.pk).update(number=8)

        old = _migrate(BEFORE)
        OldDocument = old.get_model("reports", "Document")  # noqa: N806
        assert OldDocument.objects.get(pk=issued.pk).campaign_id == campaign.pk
        assert OldDocument.objects.get(pk=draft.pk).cycle_id == cycle.pk
        assert OldDocument.objects.get(pk=draft.pk).campaign_id is None
        with pytest.raises(DatabaseError), transaction.atomic():
            OldDocument.objects.filter(pk=issued.pk).update(number=8)
        assert DemocracyCycle.objects.filter(pk=cycle.pk).exists()
    finally:
        if not IN_TRANSACTION:
            _migrate_forward()
