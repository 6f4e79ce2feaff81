"""The timeline shows what changed between two versions of a submission: each kept version against the next,
and the last against the content as it is now, field by field, with the files added and removed."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dukportal.submissions import revisions, services
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _at(day, hour):
    return time_machine.travel(datetime(2024, 4, day, hour, tzinfo=TZ), tick=False)


@pytest.fixture
def history(officer_user, staff_user):
    """Sent on 10/4 with one file; returned on 11/4; on 12/4 renamed, dated, the wrong file swapped; resent."""
    with _at(10, 9):
        draft = RegistrationFactory(
            campaign=CampaignFactory(created_by=staff_user),
            organization=officer_user.organization,
            status="draft",
            name="Mô hình A",
            category="economy",
        )
        wrong = services.attachment_add(actor=officer_user, submission=draft, uploaded=_pdf("ban-nhap.pdf"))
    with _at(10, 10):
        services.submission_submit(actor=officer_user, submission=draft)
    with _at(11, 9):
        services.submission_return(actor=staff_user, submission=draft, comment="Bổ sung")
    with _at(12, 9):
        services.submission_update(
            actor=officer_user,
            submission=draft,
            fields={"name": "Mô hình A tại phường 1", "category": "culture_society", "end_date": date(2024, 11, 30)},
        )
        services.attachment_remove(actor=officer_user, attachment=wrong)
        services.attachment_add(actor=officer_user, submission=draft, uploaded=_pdf("ban-ky.pdf"))
    with _at(12, 10):
        services.submission_submit(actor=officer_user, submission=draft)
    draft.refresh_from_db()
    return draft


def test_a_resent_item_shows_each_changed_field_with_before_and_after(history):
    (diff,) = revisions.version_diffs(history)
    assert (diff.before_number, diff.after_number) == (1, 2)
    changes = {c.name: (c.label, c.before, c.after) for c in diff.changes}
    assert changes == {
        "name": ("Tên mô hình, điển hình", "Mô hình A", "Mô hình A tại phường 1"),
        "category": ("Lĩnh vực / loại điển hình", "Phát triển kinh tế", "Văn hóa – xã hội"),
        "end_date": ("Ngày kết thúc", "31/12/2024", "30/11/2024"),
    }
    assert diff.files_added == ["ban-ky.pdf"] and diff.files_removed == ["ban-nhap.pdf"]


def test_an_edit_after_the_return_not_yet_resent_shows_against_the_current_content(officer_user, staff_user):
    with _at(10, 10):
        item = RegistrationFactory(
            campaign=CampaignFactory(created_by=staff_user), organization=officer_user.organization, status="draft"
        )
        services.submission_submit(actor=officer_user, submission=item)
    with _at(11, 9):
        services.submission_return(actor=staff_user, submission=item, comment="Bổ sung")
    assert revisions.version_diffs(item) == []  # nothing changed yet: nothing to show
    with _at(12, 9):
        services.submission_update(actor=officer_user, submission=item, fields={"aims": "Nâng cao đời sống"})
    item.refresh_from_db()
    (diff,) = revisions.version_diffs(item)
    assert diff.after_number is None and diff.after_label == "nội dung hiện tại"
    assert [(c.name, c.before, c.after) for c in diff.changes] == [("aims", "—", "Nâng cao đời sống")]


def test_the_detail_page_timeline_shows_the_diff_to_staff(history, staff_user):
    client = Client()
    client.force_login(staff_user)
    page = client.get(history.get_absolute_url()).content.decode()
    section = page[page.index('id="version-diff"') :]
    assert "Phiên bản 1 → phiên bản 2" in section
    assert "<del" in section and "Mô hình A</del>" in section and "Mô hình A tại phường 1</ins>" in section
    assert "Thêm tệp: ban-ky.pdf" in section and "Gỡ tệp: ban-nhap.pdf" in section


def test_a_never_sent_draft_has_no_diff(officer_user, staff_user):
    draft = RegistrationFactory(
        campaign=CampaignFactory(created_by=staff_user), organization=officer_user.organization, status="draft"
    )
    assert revisions.version_diffs(draft) == []
