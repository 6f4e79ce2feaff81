"""seed_demo gives the documents pages what they need (issuing bodies and terms), once."""

from datetime import date

import pytest

from reports import demo
from reports.models import IssuingBody, Term

pytestmark = pytest.mark.django_db


def test_demo_creates_bodies_and_terms_once(staff_user, bloc):
    # No campaign or cycle in this test: only the provincial documents of before 2024 are referenced.
    assert demo.seed(today=date(2026, 11, 25)) == {
        "cơ quan ban hành": 2,
        "nhiệm kỳ": 2,
        "người ký": 4,
        "cơ quan cấp trên (b/c)": 4,
        "văn bản được trích dẫn": 2,
    }
    assert set(demo.seed(today=date(2026, 11, 25)).values()) == {0}
    assert sorted(IssuingBody.objects.values_list("kind", flat=True)) == ["committee", "department"]
    assert Term.objects.filter(start_date__lte=date(2026, 11, 25), end_date__gte=date(2026, 11, 25)).exists()
