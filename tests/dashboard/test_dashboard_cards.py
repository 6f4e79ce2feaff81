"""The overview's cards come from the registry (dukportal.submissions.dashboard_cards): a card declared by any
app, here by the test alone, is on the page with its figures for the reference date, with no dashboard code."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from dukportal.submissions import dashboard_cards

pytestmark = pytest.mark.django_db


@dataclass
class VisitFigures:
    reader: str
    on: date


@pytest.fixture
def visit_card(tmp_path, settings):
    """A throw-away card: its own template and figures, registered as an app's ready() would, then removed."""
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "_visits.html").write_text(
        '<div class="card" id="visit-card">Đợt kiểm tra: <span id="visit-reader">{{ card.reader }}</span>, '
        'ngày <span id="visit-on">{{ card.on|date:"d/m/Y" }}</span></div>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    card = dashboard_cards.Card(
        key="tests.visits",
        template_name="cards/_visits.html",
        figures=lambda user, *, today: VisitFigures(reader=user.username, on=today),
        order=1,
        column="col-lg-3",
    )
    dashboard_cards.register(card)
    yield card
    dashboard_cards.unregister(card.key)


def test_a_registered_card_is_on_the_dashboard_with_its_figures_for_the_reference_date(staff_client, visit_card):
    response = staff_client.get(reverse("dashboard:index"), {"ngay": "05/05/2024"})
    page = response.content.decode()
    assert f'<span id="visit-reader">{response.context["user"].username}</span>' in page
    assert '<span id="visit-on">05/05/2024</span>' in page
    assert '<div class="col-lg-3"><div class="card" id="visit-card">' in page
    # Its order puts it before the campaign card, which models_danvan registers with order 10.
    assert page.index('id="visit-card"') < page.index('id="campaign-card"') < page.index('id="deadline-card"')


def test_an_unregistered_card_is_gone(staff_client, visit_card):
    dashboard_cards.unregister(visit_card.key)
    page = staff_client.get(reverse("dashboard:index")).content.decode()
    assert 'id="visit-card"' not in page
    assert 'id="campaign-card"' in page


def test_the_campaign_card_is_registered_by_models_danvan():
    # Beside it, only the card of the kind the tests install (tests/throwaway_kind, never installed to serve).
    assert [card.key for card in dashboard_cards.cards()] == ["danvan.campaign", "throwaway.outreach"]
