"""Dashboard cards: what each app adds to the overview page (Tổng quan), declared by the app that owns the
figures and read by dukportal.dashboard, which names no feature app. It lives here, in the shared layer below
the feature apps, as the obligations registry (deadlines.py) does: a feature app may import this package, never
the dashboard above it.

Each app registers its cards in AppConfig.ready():

    dashboard_cards.register(Card(key="danvan.campaign", template_name="models_danvan/_dashboard_card.html",
                                  figures=campaign_card, order=10))

The dashboard calls `figures(user, today=D)` for every card before rendering (templates run no queries) and
includes `template_name` with the result as `card`, beside the page's own context (`dashboard`, `date_query`)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Card:
    key: str  # stable and unique: "<app>.<what>"
    template_name: str  # the card's body, rendered with `card` = what `figures` returned
    figures: Callable[..., object]  # (user, *, today: date) -> the card's figures on the reference date
    order: int = 100  # cards are shown by (order, key), before the deadlines card
    column: str = "col-lg-5"  # the grid column the card takes on the page


@dataclass(frozen=True)
class ShownCard:
    """A registered card with its figures on one reference date, as the dashboard page renders it."""

    card: Card
    figures: object


_REGISTRY: dict[str, Card] = {}


def register(card: Card) -> None:
    _REGISTRY[card.key] = card


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def cards() -> list[Card]:
    return sorted(_REGISTRY.values(), key=lambda c: (c.order, c.key))


def shown_cards(user: Any, *, today: date) -> list[ShownCard]:
    """Every registered card with its figures at the end of `today`."""
    return [ShownCard(card=card, figures=card.figures(user, today=today)) for card in cards()]
