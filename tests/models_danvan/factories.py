"""Builders for “Dân vận khéo” scenarios: a bloc of base organisations and years of registrations, written in
bulk (the workflow itself is tested through the services and pages)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from models_danvan.models import Category, Level, Origin, Registration
from organizations.models import Sector
from tests.factories import CampaignFactory, OrganizationFactory
from tests.timeline import complete_timelines

# Yên Bái's bloc: 47 administrative, 8 public service, 19 enterprise base organisations.
YEN_BAI_SECTORS = [Sector.ADMINISTRATIVE] * 47 + [Sector.PUBLIC_SERVICE] * 8 + [Sector.ENTERPRISE] * 19


def registration_data(**overrides):
    """What an officer types into the registration form (the form's POST data)."""
    data = {
        "category": "culture_society",
        "name": "Mô hình “Cơ quan không khói thuốc”",
        "aims": "Xây dựng môi trường làm việc văn minh",
        "content": "Tuyên truyền, ký cam kết",
        "expected_results": "100% cán bộ cam kết",
        "person_in_charge": "Nguyễn Thị Hoa",
        "start_date": "01/02/2024",
        "end_date": "31/12/2024",
    }
    data.update(overrides)
    return data


def make_organizations(sectors=YEN_BAI_SECTORS, *, start: int = 1, **extra) -> list:
    return [
        OrganizationFactory(
            code=f"CS{number:03d}",
            name=f"Đảng bộ cơ sở số {number:03d}",
            sector=sector,
            danvan_officer_name=f"Cán bộ dân vận {number:03d}",
            phone=f"0216 3{number:06d}",
            **extra,
        )
        for number, sector in enumerate(sectors, start=start)
    ]


def registration(campaign, organization, category, *, origin=Origin.NEW, continued_from=None, status="submitted",
                 name=None, **fields) -> Registration:  # fmt: skip
    """An unsaved registration for bulk_create."""
    sent = status != "draft"
    return Registration(
        campaign=campaign,
        organization=organization,
        level=Level.BASE if organization else Level.BLOC,
        category=category,
        origin=origin,
        continued_from=continued_from,
        name=name or f"Mô hình {category} năm {campaign.year}",
        person_in_charge="Nguyễn Văn An",
        start_date=date(campaign.year, 1, 1),
        end_date=date(campaign.year, 12, 31),
        status=status,
        submitted_at=datetime(campaign.year, 4, 15, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")) if sent else None,
        revision=1 if sent else 0,
        created_by=campaign.created_by,
        **fields,
    )


def make_years(organizations, first_year: int, last_year: int, *, per_organization: int = 2) -> list:
    """Campaigns for every year in the range, each organisation registering `per_organization` models a year,
    continuing last year's where it can (the shape of real data over a decade)."""
    categories = Category.values
    campaigns, previous = [], {}
    for year in range(first_year, last_year + 1):
        campaign = CampaignFactory(year=year)
        campaigns.append(campaign)
        rows = []
        for index, organization in enumerate(organizations):
            for slot in range(per_organization):
                before = previous.get((organization.pk, slot))
                rows.append(
                    registration(
                        campaign,
                        organization,
                        categories[(index + slot) % len(categories)],
                        origin=Origin.CONTINUED if before else Origin.NEW,
                        continued_from=before,
                        status="accepted",
                        name=f"Mô hình {slot + 1} của {organization.code}",
                    )
                )
        created = Registration.objects.bulk_create(rows)
        complete_timelines()
        previous = {
            (organization.pk, slot): created[index * per_organization + slot]
            for index, organization in enumerate(organizations)
            for slot in range(per_organization)
        }
    return campaigns
