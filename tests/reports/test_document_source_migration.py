"""reports 0010: a document's campaign or cycle becomes its generic source, issued documents included (the
register's trigger refuses their UPDATE, so the migration lifts it for the copy and puts it back), and back."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from democracy_regs.models import DemocracyCycle
from models_danvan.models import Campaign
from reports.models import Document
from tests.democracy_regs.factories import open_cycle
from tests.factories import CampaignFactory
from tests.reports.factories import IssuingBodyFactory, TermFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("reports", "0009_document_content_sections")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def _migrate_forward():
    """Through 0010_document_source to the latest migration of every app: the migrations after 0010 (reports' and the other
    apps' depending on it) must be back for the rest of this worker's tests, or their columns are missing."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_campaign_and_cycle_become_the_source_and_come_back(bloc, staff_user):
    campaign, cycle = CampaignFactory(year=2024), open_cycle(staff_user)
    body, term = IssuingBodyFactory(bloc=bloc), TermFactory(bloc=bloc)
    old = _migrate(BEFORE)
    try:
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
    finally:
        _migrate_forward()

    assert Document.objects.get(pk=issued.pk).source == campaign
    assert Document.objects.get(pk=draft.pk).source == cycle
    assert Document.objects.get(pk=other.pk).source is None
    assert Document.objects.get(pk=issued.pk).source_type == ContentType.objects.get_for_model(Campaign)
    # The issued row is frozen again.
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=issued.pk).update(number=8)

    old = _migrate(BEFORE)
    try:
        OldDocument = old.get_model("reports", "Document")  # noqa: N806
        assert OldDocument.objects.get(pk=issued.pk).campaign_id == campaign.pk
        assert OldDocument.objects.get(pk=draft.pk).cycle_id == cycle.pk
        assert OldDocument.objects.get(pk=draft.pk).campaign_id is None
        with pytest.raises(DatabaseError), transaction.atomic():
            OldDocument.objects.filter(pk=issued.pk).update(number=8)
    finally:
        _migrate_forward()
    assert DemocracyCycle.objects.filter(pk=cycle.pk).exists()
