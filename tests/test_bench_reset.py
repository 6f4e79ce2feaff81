"""bench/dataset.reset_database empties the database between the two sizes on SQLite too (the bench's default,
without --use-database-url), issued documents included: their triggers are lifted for the flush and put back,
as TRUNCATE leaves them on PostgreSQL. Runs in a subprocess on a temporary SQLite file, whatever database the
suite uses: about 10 s, most of it migrating."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
from bench import dataset

tmp = dataset.configure(use_database_url=False)
import time_machine
from django.core.management import call_command
from django.db import IntegrityError

from organizations.models import BaseOrganization, Member
from reports.models import Document

call_command("migrate", verbosity=0)
with time_machine.travel(dataset.TODAY, tick=True):
    dataset.build(organizations=2, years=1, members=3)
    print("issued before:", Document.objects.filter(status="issued").count())
    dataset.reset_database()
    print("after reset:", Document.objects.count(), BaseOrganization.objects.count(), Member.objects.count())
    dataset.build(organizations=3, years=1, members=3)  # the second size, on the emptied database
    issued = Document.objects.filter(status="issued").first()
    try:
        Document.objects.filter(pk=issued.pk).update(number=999)
    except IntegrityError as error:
        print("issued document still frozen:", error)
tmp.cleanup()
"""


def test_reset_database_empties_a_sqlite_database_with_issued_documents_and_keeps_them_frozen():
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "issued before: 40\n" in result.stdout, output
    assert "after reset: 0 0 0\n" in result.stdout, output
    assert "issued document still frozen: issued_document_is_frozen\n" in result.stdout, output
