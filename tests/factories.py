"""factory_boy factories. Objects are built through the same key refresh the services use."""

import random
from datetime import date

import factory
from django.utils import timezone

from dukportal.submissions.timeline import record_missing_timeline
from organizations import services
from organizations.models import (
    LEAVE_REASON_FOR_STATUS,
    BaseOrganization,
    BaseOrganizationKind,
    Bloc,
    Cell,
    Gender,
    JoinReason,
    MassOrganization,
    MassOrganizationKind,
    Member,
    MembershipPeriod,
    Role,
    Sector,
    User,
)
from organizations.names import vietnamese_full_name

PASSWORD = "MatKhau#2024"


class KeyedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = model_class(*args, **kwargs)
        services.refresh_keys(instance)
        instance.save()
        return instance


class BlocFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bloc

    name = "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"
    parent_name = "Đảng bộ tỉnh Yên Bái"
    symbol = "ĐUK"
    place_name = "Yên Bái"
    valid_from = date(2020, 10, 1)


class OrganizationFactory(KeyedFactory):
    class Meta:
        model = BaseOrganization

    bloc = factory.LazyFunction(lambda: Bloc.objects.first() or BlocFactory())
    code = factory.Sequence(lambda n: f"TC{n:03d}")
    name = factory.Sequence(lambda n: f"Đảng bộ Sở số {n}")
    kind = BaseOrganizationKind.COMMITTEE
    sector = Sector.ADMINISTRATIVE
    secretary_name = factory.LazyFunction(lambda: vietnamese_full_name(random.Random()))
    phone = factory.Sequence(lambda n: f"0216 38{n:05d}")
    valid_from = date(2015, 1, 1)


class CellFactory(KeyedFactory):
    class Meta:
        model = Cell

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"CB{n:04d}")
    name = factory.Sequence(lambda n: f"Chi bộ phòng {n}")
    valid_from = date(2015, 1, 1)


class MemberFactory(KeyedFactory):
    class Meta:
        model = Member

    code = factory.Sequence(lambda n: f"DV{n:06d}")
    full_name = factory.LazyFunction(lambda: vietnamese_full_name(random.Random()))
    gender = Gender.MALE
    birth_date = date(1980, 5, 1)
    admitted_on = date(2005, 3, 2)
    official_on = date(2006, 3, 2)
    organization = factory.SubFactory(OrganizationFactory)

    @classmethod
    def _create(cls, model_class, *args, joined_on=None, **kwargs):
        """Also the member's first membership period, by the rule of the migration of old rows: from
        `joined_on` (default the admission date); a member no longer active has it closed today. History
        beyond that is built with the services (member_transfer, member_leave)."""
        member = super()._create(model_class, *args, **kwargs)
        leave_reason = LEAVE_REASON_FOR_STATUS.get(member.status, "")
        joined_on = joined_on or member.admitted_on
        MembershipPeriod.objects.create(
            member=member,
            organization=member.organization,
            cell=member.cell,
            joined_on=joined_on,
            join_reason=JoinReason.ADMITTED,
            left_on=max(timezone.localdate(), joined_on) if leave_reason else None,
            leave_reason=leave_reason,
        )
        return member


class MassOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MassOrganization

    bloc = factory.LazyFunction(lambda: Bloc.objects.first() or BlocFactory())
    name = "Công đoàn Viên chức tỉnh"
    kind = MassOrganizationKind.TRADE_UNION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OFFICER
    organization = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.OFFICER), factory.SubFactory(OrganizationFactory), None
    )
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.STAFF)
    password = factory.django.Password(PASSWORD)


# --- Dân vận khéo ---------------------------------------------------------------------------------------------
from models_danvan.models import Campaign, Category, Level, Origin, Registration  # noqa: E402


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        django_get_or_create = ("year",)

    year = 2024
    plan_number = "252-KH/ĐUK"
    plan_date = factory.LazyAttribute(lambda o: date(o.year, 3, 25))
    registration_deadline = factory.LazyAttribute(lambda o: date(o.year, 4, 30))
    midyear_deadline = factory.LazyAttribute(lambda o: date(o.year, 6, 30))
    yearend_deadline = factory.LazyAttribute(lambda o: date(o.year, 11, 30))
    created_by = factory.LazyFunction(
        lambda: User.objects.filter(role=Role.STAFF).first() or UserFactory(role=Role.STAFF)
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration row in any status, written directly (tests of the workflow go through services)."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    organization = factory.SubFactory(OrganizationFactory)
    level = factory.LazyAttribute(lambda o: Level.BASE if o.organization else Level.BLOC)
    category = Category.ECONOMY
    origin = Origin.NEW
    name = factory.Sequence(lambda n: f"Mô hình “Dân vận khéo” số {n}")
    person_in_charge = "Nguyễn Văn An"
    start_date = factory.LazyAttribute(lambda o: date(o.campaign.year, 1, 1))
    end_date = factory.LazyAttribute(lambda o: date(o.campaign.year, 12, 31))
    status = "submitted"
    created_by = factory.LazyAttribute(lambda o: o.campaign.created_by)

    @factory.post_generation
    def timeline(self, create, extracted, **kwargs):  # events, as the services would have written them
        if create:
            record_missing_timeline(type(self).objects.filter(pk=self.pk))


def registration_by_service(actor, campaign, organization, name):
    """A model registered through the service (with its timeline), as an officer or staff would."""
    from models_danvan import services as danvan

    return danvan.registration_create(
        actor=actor,
        campaign=campaign,
        organization=organization,
        category="economy",
        name=name,
        person_in_charge="Nguyễn Văn An",
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
    )
