"""“Không phát sinh”: where an obligation allows it (the QCDC self-inspection report), an organisation answers
that it had nothing to report, with a reason. It counts as sent for x/y from the day it was sent (read from its
timeline) and is shown apart — its own badge and count — on tracking, the matrix and the statistics. History is
built day by day, then asked about several dates afterwards."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from democracy_regs import obligations as qcdc
from democracy_regs.selectors import cycle_summary
from dukportal.notifications import selectors
from dukportal.submissions import deadlines, services
from dukportal.submissions.models import Deadline, NilReturn
from tests.democracy_regs.factories import ReportFactory, open_cycle

from .factories import at

pytestmark = pytest.mark.django_db


def _deadline(cycle, kind=qcdc.SELF_INSPECTION):
    return Deadline.objects.get(kind=kind, source_id=cycle.pk)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def history(staff_user, officer_user, other_organization):
    """Self-inspection due 25/10/2024. The officer's organisation answers “Không phát sinh” on 20/10; the other
    sends a real report on 22/10."""
    with time_machine.travel(at(date(2024, 3, 1)), tick=False):
        cycle = open_cycle(staff_user)
    deadline = _deadline(cycle)
    with time_machine.travel(at(date(2024, 10, 20), hour=9), tick=False):
        nil = services.nil_return_send(
            actor=officer_user,
            deadline=deadline,
            organization=officer_user.organization,
            reason="Năm 2024 đơn vị không tổ chức hoạt động tự kiểm tra nào",
        )
    ReportFactory(cycle=cycle, organization=other_organization, submitted_at=at(date(2024, 10, 22)))
    return cycle, deadline, nil


def test_a_nil_return_counts_as_sent_from_its_day_and_apart(history, officer_user):
    _, deadline, nil = history
    before = deadlines.deadline_figures(deadline, date(2024, 10, 19))
    assert (before.sent, before.nil_returns, before.expected) == (0, 0, 2)
    on_day = deadlines.deadline_figures(deadline, date(2024, 10, 20))
    assert (on_day.sent, on_day.nil_returns) == (1, 1)
    assert on_day.standings[officer_user.organization_id].code == "nil"
    assert on_day.standings[officer_user.organization_id].label == "Không phát sinh"
    later = deadlines.deadline_figures(deadline, date(2024, 10, 30))
    assert (later.sent, later.nil_returns, later.owing) == (2, 1, [])
    assert nil.status == "submitted" and nil.reason.startswith("Năm 2024")


def test_withdrawing_a_nil_return_stops_it_counting_from_then_only(history, officer_user):
    _, deadline, nil = history
    with time_machine.travel(at(date(2024, 10, 23), hour=9), tick=False):
        services.submission_withdraw(actor=officer_user, submission=nil, comment="Có phát sinh, sẽ gửi báo cáo")
    assert deadlines.deadline_figures(deadline, date(2024, 10, 22)).nil_returns == 1
    assert deadlines.deadline_figures(deadline, date(2024, 10, 23)).nil_returns == 0
    assert deadlines.deadline_figures(deadline, date(2024, 10, 23)).sent == 1


def test_tracking_matrix_and_statistics_show_nil_returns_apart(history, staff_user, officer_user):
    cycle, deadline, _ = history
    with time_machine.travel(at(date(2024, 10, 30)), tick=False):
        client = _client(staff_user)
        tracking = client.get(reverse("notifications:tracking"))
        (progress,) = [p for p in tracking.context["progress"] if p.deadline == deadline]
        assert (progress.sent, progress.nil_returns) == (2, 1)
        assert 'class="nil-count">1<' in tracking.content.decode()
        matrix = client.get(reverse("notifications:matrix"), {"nam": 2024})
        (column,) = [c for c in matrix.context["matrix"].columns if c.deadline == deadline]
        assert (column.sent, column.nil_returns) == (2, 1)
        page = matrix.content.decode()
        assert "trong đó không phát sinh: 1" in page and "nil-badge" in page
        stats = client.get(reverse("democracy_regs:statistics", args=[cycle.pk]))
        assert "nil-count" in stats.content.decode()
    item = cycle_summary(cycle, on=date(2024, 10, 30)).item(qcdc.SELF_INSPECTION)
    assert (item.done, item.nil_returns) == (2, 1)
    assert cycle_summary(cycle, on=date(2024, 10, 19)).item(qcdc.SELF_INSPECTION).nil_returns == 0


def test_a_nil_return_needs_a_reason_an_allowing_kind_and_only_one(staff_user, officer_user):
    with time_machine.travel(at(date(2024, 3, 1)), tick=False):
        cycle = open_cycle(staff_user)
    own = officer_user.organization
    with time_machine.travel(at(date(2024, 4, 1)), tick=False):
        with pytest.raises(ValidationError, match="lý do không phát sinh"):
            services.nil_return_send(actor=officer_user, deadline=_deadline(cycle), organization=own, reason=" ")
        with pytest.raises(ValidationError, match="không nhận báo cáo “Không phát sinh”"):
            services.nil_return_send(
                actor=officer_user, deadline=_deadline(cycle, qcdc.PLAN), organization=own, reason="Không có"
            )
        services.nil_return_send(actor=officer_user, deadline=_deadline(cycle), organization=own, reason="Không có")
        with pytest.raises(ValidationError, match="đã gửi hồ sơ hoặc đã báo cáo không phát sinh"):
            services.nil_return_send(actor=officer_user, deadline=_deadline(cycle), organization=own, reason="Lại")
    assert NilReturn.objects.count() == 1


def test_the_officer_answers_from_the_to_do_list_and_sees_it_counted(staff_user, officer_user, other_officer_user):
    with time_machine.travel(at(date(2024, 3, 1)), tick=False):
        cycle = open_cycle(staff_user)
    deadline = _deadline(cycle)
    with time_machine.travel(at(date(2024, 4, 1)), tick=False):
        client = _client(officer_user)
        obligations = selectors.organization_obligations(officer_user.organization)
        nil_urls = {o.deadline.kind: o.nil_url for o in obligations}
        assert nil_urls[qcdc.SELF_INSPECTION] == reverse("submissions:nil_return_create", args=[deadline.pk])
        assert nil_urls[qcdc.PLAN] == ""
        url = nil_urls[qcdc.SELF_INSPECTION]
        own_page = reverse("organizations:detail", args=[officer_user.organization_id])
        assert f'class="btn btn-sm btn-outline-info nil-action" href="{url}"' in client.get(own_page).content.decode()
        assert "nil-action" not in _client(staff_user).get(own_page).content.decode()  # staff do not answer it
        refused = client.post(url, {"reason": ""})
        assert "Vui lòng ghi rõ lý do" in refused.content.decode() or "bắt buộc" in refused.content.decode()
        response = client.post(url, {"reason": "Không có hoạt động tự kiểm tra"}, follow=True)
        page = response.content.decode()
        assert "Đã gửi Ban Tuyên giáo báo cáo không phát sinh" in page and "Không có hoạt động tự kiểm tra" in page
        standing = {o.deadline.kind: o.standing for o in selectors.organization_obligations(officer_user.organization)}
        assert standing[qcdc.SELF_INSPECTION].code == "nil" and not standing[qcdc.SELF_INSPECTION].owes
        # Staff, leaders and other organisations' officers do not answer for it; the plan allows no nil return.
        assert _client(staff_user).get(url).status_code == 403
        assert (
            client.get(reverse("submissions:nil_return_create", args=[_deadline(cycle, qcdc.PLAN).pk])).status_code
            == 404
        )
        nil = NilReturn.objects.get()
        assert _client(staff_user).get(nil.get_absolute_url()).status_code == 200
        assert _client(other_officer_user).get(nil.get_absolute_url()).status_code == 404
