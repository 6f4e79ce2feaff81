"""The member search is served by the trigram index on the folded name (PostgreSQL), so its cost follows the
matches, not the size of the bloc's member table (issue 13)."""

import pytest
from django.db import connection

from organizations import selectors
from organizations.models import Member
from organizations.services import refresh_keys
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hùng", "Lan", "Minh", "Nga", "Phúc", "Thảo"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]


def test_member_search_uses_the_trigram_index(postgres_only, organization, staff_user):
    template = MemberFactory.build(organization=organization)
    rows = []
    for number in range(3000):
        member = Member(
            **{f.attname: getattr(template, f.attname) for f in Member._meta.concrete_fields if not f.primary_key},
        )
        member.code = f"DV{number:06d}"
        # One member in 300 is called Quang: a search that matches a few of many.
        given = "Quang" if number % 300 == 7 else GIVEN[number % 11]
        member.full_name = f"{FAMILY[number % 8]} Văn {given}"
        refresh_keys(member)
        rows.append(member)
    Member.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE organizations_member")

    found = selectors.member_list(staff_user, query="quang")
    assert found.count() == 10
    with connection.cursor() as cursor:
        # For this test's transaction: a table this small is cheaper to scan, and a plain index scan could walk
        # another index without a condition; a bitmap scan needs an index that serves the LIKE conditions.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = found.explain()
    assert "Bitmap Index Scan on member_search_key_trgm" in plan, plan
    assert "'quang%'" in plan and "'% quang%'" in plan, plan


def test_the_index_exists_only_where_pg_trgm_does(db):
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "organizations_member"))
    assert ("member_search_key_trgm" in names) == (connection.vendor == "postgresql")
