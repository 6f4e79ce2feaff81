"""The bright spot list's rows are built once a page from values (issue 13): each row links the bright spot and
shows its kind, its organisation and its status as before, every text escaped."""

import pytest
from django.urls import reverse

from democracy_regs.models import BrightSpotKind
from tests.democracy_regs.factories import BrightSpotFactory, open_cycle
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(staff_user, organization):
    return open_cycle(staff_user, inspected=[organization])


def test_each_row_links_the_spot_with_its_kind_organisation_and_status(staff_client, cycle, organization):
    spot = BrightSpotFactory(cycle=cycle, organization=organization, kind=BrightSpotKind.GOVERNMENT, title="Một cửa")
    html = staff_client.get(reverse("democracy_regs:bright_spots", args=[cycle.pk])).content.decode()
    row = html.split(f'<a href="{spot.get_absolute_url()}">Một cửa</a>', 1)[1].split("</tr>", 1)[0]
    assert f"<td>{spot.get_kind_display()}</td>" in row
    assert "<td>Đảng bộ Sở Tài chính</td>" in row
    assert '<span class="badge text-bg-primary">Đã gửi, chờ duyệt</span>' in row


def test_titles_and_names_are_escaped(staff_client, cycle):
    organization = OrganizationFactory(name="Đảng bộ <Công ty> “A & B”")
    BrightSpotFactory(cycle=cycle, organization=organization, title='<script>alert("x")</script> & co')
    html = staff_client.get(reverse("democracy_regs:bright_spots", args=[cycle.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</a>" in html
    assert "<td>Đảng bộ &lt;Công ty&gt; “A &amp; B”</td>" in html


def test_an_empty_list_says_so(staff_client, cycle):
    html = staff_client.get(reverse("democracy_regs:bright_spots", args=[cycle.pk])).content.decode()
    assert "Chưa có điểm sáng nào." in html
