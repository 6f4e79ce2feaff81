"""Reads for “Dân vận khéo”: visible registrations, campaign statistics (a fixed number of queries whatever
the number of organisations or years), histories."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from dukportal.submissions.models import SubmissionStatus
from organizations import access
from organizations.models import BaseOrganization

from .models import Campaign, Category, Evaluation, Level, Origin, Registration


def registrations_visible_to(user) -> QuerySet:
    """Officers see their organisation's registrations; bloc-level ones (no organisation) only readers."""
    return access.scope(Registration.objects.all(), user).select_related("campaign", "organization", "continued_from")


def evaluations_visible_to(user) -> QuerySet:
    return access.scope(Evaluation.objects.all(), user).select_related(
        "registration", "registration__campaign", "organization"
    )


def sent(queryset: QuerySet) -> QuerySet:
    """Registrations that have been sent to the committee (drafts are the organisation's own business)."""
    return queryset.exclude(status=SubmissionStatus.DRAFT)


@dataclass
class CampaignStatistics:
    campaign: Campaign
    reference_date: date
    expected: int  # base organisations active on the reference date (after filters)
    registered: int  # of those, how many have sent at least one registration
    missing: list  # organisations still to chase (with contact person and phone)
    total: int = 0
    bloc_level: int = 0
    base_level: int = 0
    continued: int = 0
    new: int = 0
    models: int = 0
    exemplars: int = 0
    by_category: dict = field(default_factory=dict)  # Category value → count
    by_category_label: list = field(default_factory=list)  # [(label, count)] in display order
    commended: int = 0
    replicated: int = 0

    @property
    def ratio_label(self) -> str:
        return f"{self.registered}/{self.expected}"


def campaign_statistics(campaign: Campaign, *, sector: str = "", category: str = "") -> CampaignStatistics:
    """Figures for one campaign year, as dispatch 1720-CV/ĐUK quotes them.

    "x/y" counts base organisations active on the registration deadline (their valid dates decide, so a past
    year uses the organisations that existed then). Two SQL queries whatever the size of the bloc."""
    reference_date = campaign.registration_deadline
    registrations = sent(Registration.objects.filter(campaign=campaign))
    if category:
        registrations = registrations.filter(category=category)
    organizations = BaseOrganization.objects.active_on(reference_date)
    if sector:
        organizations = organizations.filter(sector=sector)
        registrations = registrations.filter(organization__sector=sector)
    organizations = list(
        organizations.annotate(has_registered=Exists(registrations.filter(organization=OuterRef("pk")))).order_by(
            "sort_key"
        )
    )
    missing = [org for org in organizations if not org.has_registered]

    counts = Counter()
    for row in registrations.values("level", "category", "origin", "commended", "replicated"):
        counts["total"] += 1
        counts[row["level"]] += 1
        counts[row["origin"]] += 1
        counts[row["category"]] += 1
        counts["commended"] += row["commended"]
        counts["replicated"] += row["replicated"]
    by_category = {value: counts[value] for value in Category.values}
    return CampaignStatistics(
        campaign=campaign,
        reference_date=reference_date,
        expected=len(organizations),
        registered=len(organizations) - len(missing),
        missing=missing,
        total=counts["total"],
        bloc_level=counts[Level.BLOC],
        base_level=counts[Level.BASE],
        continued=counts[Origin.CONTINUED],
        new=counts[Origin.NEW],
        models=sum(by_category[c] for c in Category.fields()),
        exemplars=sum(by_category[c] for c in Category.exemplars()),
        by_category=by_category,
        by_category_label=[(label, by_category[value]) for value, label in Category.choices],
        commended=counts["commended"],
        replicated=counts["replicated"],
    )


def registration_list(user, campaign: Campaign, *, organization_id=None, status="", category="", sector="") -> QuerySet:
    queryset = registrations_visible_to(user).filter(campaign=campaign)
    if organization_id:
        queryset = queryset.filter(organization_id=organization_id)
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if sector:
        queryset = queryset.filter(organization__sector=sector)
    return queryset.order_by("level", "organization__sort_key", "category", "id")


def organization_history(user, organization: BaseOrganization) -> QuerySet:
    """Every registration of an organisation across the years, newest year first."""
    return (
        registrations_visible_to(user)
        .filter(organization=organization)
        .prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.order_by("period")))
        .order_by("-campaign__year", "category", "id")
    )


def model_lineage(registration: Registration) -> list[Registration]:
    """The same model across years: its predecessors (continued_from chain) and its continuations."""
    chain = [registration]
    current = registration
    while current.continued_from_id:
        current = Registration.objects.select_related("campaign").get(pk=current.continued_from_id)
        chain.insert(0, current)
    current = registration
    while (
        following := current.continuations.select_related("campaign").order_by("campaign__year").first()
    ) is not None:
        chain.append(following)
        current = following
    return chain


def carry_over_candidates(user, campaign: Campaign, organization_id) -> QuerySet:
    """Last year's sent registrations of the organisation that are not yet continued this year."""
    already = Registration.objects.filter(campaign=campaign, continued_from=OuterRef("pk"))
    queryset = (
        registrations_visible_to(user).filter(campaign__year=campaign.year - 1).exclude(status=SubmissionStatus.DRAFT)
    )
    queryset = (
        queryset.filter(organization_id=organization_id) if organization_id else queryset.filter(level=Level.BLOC)
    )
    return queryset.annotate(already_continued=Exists(already)).filter(already_continued=False)
