"""The bloc committee, its base party organisations, their subordinate cells, members, mass organisations
and the portal's user accounts."""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dukportal.core.choices import ChoiceLabels
from dukportal.core.text import SORT_KEY_LENGTH


class Sector(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Khối hành chính")
    PUBLIC_SERVICE = "public_service", _("Khối sự nghiệp")
    ENTERPRISE = "enterprise", _("Khối doanh nghiệp")


class BaseOrganizationKind(models.TextChoices):
    COMMITTEE = "committee", _("Đảng bộ cơ sở")
    CELL = "cell", _("Chi bộ cơ sở")


class MassOrganizationKind(models.TextChoices):
    TRADE_UNION = "trade_union", _("Công đoàn")
    YOUTH_UNION = "youth_union", _("Đoàn Thanh niên")
    VETERANS = "veterans", _("Hội Cựu chiến binh")
    OTHER = "other", _("Đoàn thể khác")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Đang sinh hoạt")
    TRANSFERRED_OUT = "transferred_out", _("Đã chuyển đi")
    REMOVED = "removed", _("Đã ra khỏi Đảng")
    DIED = "died", _("Đã từ trần")


class Role(models.TextChoices):
    STAFF = "staff", _("Cán bộ Đảng ủy Khối")
    LEADER = "leader", _("Lãnh đạo")
    OFFICER = "officer", _("Cán bộ tổ chức cơ sở đảng")


class ValidityQuerySet(models.QuerySet):
    """Rows that existed on a date or during a year (reorganisations, merges and dissolutions)."""

    def active_on(self, day: date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def active_during(self, year: int):
        return self.filter(
            Q(valid_from__lte=date(year, 12, 31)),
            Q(valid_to__isnull=True) | Q(valid_to__gte=date(year, 1, 1)),
        )


class ValidityPeriod(ChoiceLabels, models.Model):
    valid_from = models.DateField(_("hiệu lực từ ngày"), default=date(2000, 1, 1))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_active_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


def _validity_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
        name=name,
        violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
    )


class Bloc(ValidityPeriod):
    """The bloc party committee that runs the portal (the tenant). Its names are data, not code, so another
    province's bloc, or the same bloc after a reorganisation, runs the same portal."""

    name = models.CharField(_("tên đảng ủy khối"), max_length=200)
    parent_name = models.CharField(
        _("tên đảng bộ cấp trên"), max_length=200, help_text=_("Dòng trên cùng của tiêu đề văn bản.")
    )
    symbol = models.CharField(_("ký hiệu viết tắt"), max_length=20, help_text=_("Dùng trong số văn bản, ví dụ ĐUK."))
    place_name = models.CharField(_("địa danh"), max_length=100, help_text=_("Dùng khi ghi ngày tháng văn bản."))
    propaganda_department_name = models.CharField(_("tên ban tham mưu"), max_length=200, default="Ban Tuyên giáo")

    class Meta:
        verbose_name = _("đảng ủy khối")
        verbose_name_plural = _("đảng ủy khối")
        ordering = ["-valid_from"]
        constraints = [_validity_constraint("bloc_valid_dates")]

    def __str__(self):
        return self.name


class BlocProfile(models.Model):
    """What the bloc's documents print, from a date on: its name, superior body, symbol and place. The 2025
    reform renamed bloc committees and merged provinces; documents of before keep the values of their own date,
    so a change is a new profile (organizations.blocs.bloc_rename), never an edit of the old one. The first
    change also records the values in force before it, so every date has its profile. A bloc without profiles
    prints its row's fields."""

    bloc = models.ForeignKey(Bloc, verbose_name=_("đảng ủy khối"), on_delete=models.CASCADE, related_name="profiles")
    valid_from = models.DateField(_("áp dụng từ ngày"))
    name = models.CharField(_("tên đảng ủy khối"), max_length=200)
    parent_name = models.CharField(_("tên đảng bộ cấp trên"), max_length=200)
    symbol = models.CharField(_("ký hiệu viết tắt"), max_length=20)
    place_name = models.CharField(_("địa danh"), max_length=100)
    propaganda_department_name = models.CharField(_("tên ban tham mưu"), max_length=200, default="Ban Tuyên giáo")
    created_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tên gọi theo thời kỳ của đảng ủy khối")
        verbose_name_plural = _("tên gọi theo thời kỳ của đảng ủy khối")
        ordering = ["bloc", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "valid_from"],
                name="blocprofile_one_per_day",
                violation_error_message=_("Đảng ủy khối đã có một thay đổi tên gọi áp dụng từ ngày này."),
            )
        ]

    def __str__(self):
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"


class BaseOrganization(ValidityPeriod):
    """A base party organisation (tổ chức cơ sở đảng): a đảng bộ cơ sở with subordinate cells, or a chi bộ
    cơ sở without them."""

    bloc = models.ForeignKey(
        Bloc, verbose_name=_("đảng ủy khối"), on_delete=models.PROTECT, related_name="organizations"
    )
    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên tổ chức"), max_length=255)
    kind = models.CharField(_("loại hình"), max_length=20, choices=BaseOrganizationKind.choices)
    sector = models.CharField(_("khối"), max_length=20, choices=Sector.choices)
    secretary_name = models.CharField(_("bí thư"), max_length=120, blank=True)
    danvan_officer_name = models.CharField(_("cán bộ phụ trách dân vận"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    search_key = models.CharField(max_length=300, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("tổ chức cơ sở đảng")
        verbose_name_plural = _("tổ chức cơ sở đảng")
        ordering = ["sort_key"]
        constraints = [
            _validity_constraint("baseorg_valid_dates"),
            models.CheckConstraint(
                condition=Q(kind__in=BaseOrganizationKind.values),
                name="baseorg_kind_valid",
                violation_error_message=_("Loại hình tổ chức không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values),
                name="baseorg_sector_valid",
                violation_error_message=_("Khối không hợp lệ."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.pk])

    @property
    def has_cells(self) -> bool:
        return self.kind == BaseOrganizationKind.COMMITTEE


class OrganizationName(models.Model):
    """A name an organisation bore from a date until the next row's date. BaseOrganization.name is the latest
    name; an organisation without rows here bore that name all along. Records and documents of an earlier
    date show the name of that date (selectors.name_on / with_name_on)."""

    organization = models.ForeignKey(
        BaseOrganization, verbose_name=_("tổ chức cơ sở đảng"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("tên tổ chức"), max_length=255)
    valid_from = models.DateField(_("dùng từ ngày"))

    class Meta:
        verbose_name = _("tên tổ chức theo thời gian")
        verbose_name_plural = _("tên tổ chức theo thời gian")
        ordering = ["organization", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "valid_from"],
                name="organization_name_one_per_day",
                violation_error_message=_("Tổ chức đã có một tên khác từ ngày này."),
            ),
        ]

    def __str__(self):
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Hợp nhất")  # several become one new organisation
    ABSORB = "absorb", _("Sáp nhập")  # one or more join an existing organisation
    SPLIT = "split", _("Chia tách")  # one becomes several


class OrganizationSuccession(models.Model):
    """A predecessor → successor link recorded by a reorganisation on its effective date: history pages, a model's
    lineage and carrying a model over follow it across the change."""

    predecessor = models.ForeignKey(
        BaseOrganization, verbose_name=_("tổ chức trước"), on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        BaseOrganization, verbose_name=_("tổ chức kế tục"), on_delete=models.PROTECT, related_name="successions_in"
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("kế tục tổ chức")
        verbose_name_plural = _("kế tục tổ chức")
        ordering = ["effective_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")),
                name="succession_not_self",
                violation_error_message=_("Một tổ chức không thể kế tục chính nó."),
            ),
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="succession_unique_pair",
                violation_error_message=_("Hai tổ chức này đã có quan hệ kế tục."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SuccessionKind.values),
                name="succession_kind_valid",
                violation_error_message=_("Hình thức tổ chức lại không hợp lệ."),
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()}, {self.effective_on:%d/%m/%Y})"


class Cell(ValidityPeriod):
    """A subordinate cell (chi bộ trực thuộc) of a đảng bộ cơ sở. The database refuses a cell whose parent is
    a chi bộ cơ sở (trigger in migration 0002); cycles cannot exist because cells have no cells."""

    organization = models.ForeignKey(
        BaseOrganization,
        verbose_name=_("đảng bộ cơ sở"),
        on_delete=models.PROTECT,
        related_name="cells",
    )
    # A moved cell keeps its code: the closed row and the open row under the new parent share it, so the code is
    # unique only among open cells (constraint below).
    code = models.CharField(_("mã"), max_length=30)
    name = models.CharField(_("tên chi bộ"), max_length=255)
    secretary_name = models.CharField(_("bí thư chi bộ"), max_length=120, blank=True)
    moved_from = models.OneToOneField(
        "self",
        verbose_name=_("chuyển từ chi bộ"),
        on_delete=models.PROTECT,
        related_name="moved_to",
        null=True,
        blank=True,
        help_text=_("Dòng đã đóng của chi bộ này trước khi chuyển sang đảng bộ cơ sở hiện tại."),
    )
    search_key = models.CharField(max_length=300, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("chi bộ trực thuộc")
        verbose_name_plural = _("chi bộ trực thuộc")
        ordering = ["sort_key"]
        constraints = [
            _validity_constraint("cell_valid_dates"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_to__isnull=True),
                name="cell_code_unique_among_open",
                violation_error_message=_("Mã chi bộ đã được dùng cho một chi bộ đang hoạt động."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.organization_id and self.organization.kind != BaseOrganizationKind.COMMITTEE:
            raise ValidationError(
                {"organization": _("Chi bộ trực thuộc chỉ được đặt dưới một đảng bộ cơ sở, không dưới chi bộ cơ sở.")}
            )


class Member(ChoiceLabels, models.Model):
    """A party member, with just what counts per organisation and cell need: no more personal data."""

    code = models.CharField(_("số thẻ đảng viên"), max_length=30, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("ngày sinh"))
    admitted_on = models.DateField(_("ngày vào Đảng"))
    official_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    organization = models.ForeignKey(
        BaseOrganization,
        verbose_name=_("tổ chức cơ sở đảng"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    cell = models.ForeignKey(
        Cell,
        verbose_name=_("chi bộ trực thuộc"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    status = models.CharField(_("tình trạng"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    search_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(admitted_on__gt=F("birth_date")),
                name="member_admitted_after_birth",
                violation_error_message=_("Ngày vào Đảng phải sau ngày sinh."),
            ),
            models.CheckConstraint(
                condition=Q(official_on__isnull=True) | Q(official_on__gte=F("admitted_on")),
                name="member_official_after_admitted",
                violation_error_message=_("Ngày chính thức không được trước ngày vào Đảng."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=MemberStatus.values),
                name="member_status_valid",
                violation_error_message=_("Tình trạng đảng viên không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values),
                name="member_gender_valid",
                violation_error_message=_("Giới tính không hợp lệ."),
            ),
        ]
        indexes = [
            # Serves the member list of an organisation filtered by current status (counts read MembershipPeriod).
            models.Index(fields=["organization", "status"], name="member_org_status_idx"),
            # Serves the member search (selectors._search_people: LIKE 'term%' OR LIKE '% term%' on the folded
            # name, which a b-tree cannot serve). PostgreSQL only (pg_trgm): migration 0007 skips it on SQLite.
            GinIndex(fields=["search_key"], opclasses=["gin_trgm_ops"], name="member_search_key_trgm"),
            # Serves the member search's bounded candidates (selectors.member_search: the first N matches in
            # alphabetical order): an index-only walk in (sort_key, code) order that tests the LIKEs on the
            # search_key it holds and stops after N matches, whatever the size of the bloc.
            models.Index(fields=["sort_key", "code", "search_key", "id"], name="member_search_order_idx"),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        super().clean()
        if self.cell_id and self.organization_id and self.cell.organization_id != self.organization_id:
            raise ValidationError({"cell": _("Chi bộ không thuộc tổ chức cơ sở đảng đã chọn.")})


class JoinReason(models.TextChoices):
    """How a membership period began (the party's categories of joining a party organisation)."""

    ADMITTED = "admitted", _("Kết nạp")
    TRANSFERRED_IN = "transferred_in", _("Chuyển sinh hoạt đến")
    CELL_CHANGE = "cell_change", _("Chuyển chi bộ trong tổ chức")
    RESTORED = "restored", _("Trở lại sinh hoạt")


class LeaveReason(models.TextChoices):
    """How a membership period ended (the party's categories of leaving a party organisation)."""

    TRANSFERRED_OUT = "transferred_out", _("Chuyển sinh hoạt đi")
    CELL_CHANGE = "cell_change", _("Chuyển chi bộ trong tổ chức")
    REMOVED = "removed", _("Xóa tên")
    EXPELLED = "expelled", _("Khai trừ")
    RESIGNED = "resigned", _("Xin ra khỏi Đảng")
    DIED = "died", _("Từ trần")


# The member's current status once a period ends for this reason (Member.status is the denormalised now).
STATUS_AFTER_LEAVING = {
    LeaveReason.TRANSFERRED_OUT: MemberStatus.TRANSFERRED_OUT,
    LeaveReason.REMOVED: MemberStatus.REMOVED,
    LeaveReason.EXPELLED: MemberStatus.REMOVED,
    LeaveReason.RESIGNED: MemberStatus.REMOVED,
    LeaveReason.DIED: MemberStatus.DIED,
}
# And the other way round, for a status set directly (a form, the Excel import, the migration of old rows).
LEAVE_REASON_FOR_STATUS = {
    MemberStatus.TRANSFERRED_OUT: LeaveReason.TRANSFERRED_OUT,
    MemberStatus.REMOVED: LeaveReason.REMOVED,
    MemberStatus.DIED: LeaveReason.DIED,
}


class MembershipPeriodQuerySet(models.QuerySet):
    def on(self, day: date):
        """Periods during which the member belonged on `day`: joined on or before it and not yet left (the
        left_on day itself belongs to the next period, so each member counts in one place on each day)."""
        return self.filter(Q(joined_on__lte=day), Q(left_on__isnull=True) | Q(left_on__gt=day))


class MembershipPeriod(models.Model):
    """A dated stretch of a member's belonging to one base organisation (and one of its cells, if it has
    them). Every member count on a date reads these rows, never Member.status.

    The period covers joined_on up to, but not including, left_on: a member transferred on D belongs to the
    new organisation from D and no longer to the old one, so on each day a member counts in exactly one
    place. A transfer closes one period and opens the next (organizations.services.member_transfer); periods
    of one member never overlap (checked by the services) and at most one is open (database constraint)."""

    member = models.ForeignKey(Member, verbose_name=_("đảng viên"), on_delete=models.CASCADE, related_name="periods")
    organization = models.ForeignKey(
        BaseOrganization,
        verbose_name=_("tổ chức cơ sở đảng"),
        on_delete=models.PROTECT,
        related_name="member_periods",
    )
    cell = models.ForeignKey(
        Cell,
        verbose_name=_("chi bộ trực thuộc"),
        on_delete=models.PROTECT,
        related_name="member_periods",
        null=True,
        blank=True,
    )
    joined_on = models.DateField(_("sinh hoạt từ ngày"))
    join_reason = models.CharField(_("lý do bắt đầu"), max_length=20, choices=JoinReason.choices)
    left_on = models.DateField(
        _("thôi sinh hoạt từ ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày chuyển đi, ra khỏi Đảng hoặc từ trần; từ ngày này không còn tính vào tổ chức."),
    )
    leave_reason = models.CharField(_("lý do kết thúc"), max_length=20, choices=LeaveReason.choices, blank=True)

    objects = MembershipPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("quá trình sinh hoạt đảng")
        verbose_name_plural = _("quá trình sinh hoạt đảng")
        ordering = ["member", "joined_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="memberperiod_left_after_joined",
                violation_error_message=_("Ngày thôi sinh hoạt không được trước ngày bắt đầu sinh hoạt."),
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(left_on__isnull=True),
                name="memberperiod_one_open_per_member",
                violation_error_message=_("Mỗi đảng viên chỉ sinh hoạt ở một nơi tại một thời điểm."),
            ),
            models.CheckConstraint(
                condition=(Q(left_on__isnull=True) & Q(leave_reason=""))
                | (Q(left_on__isnull=False) & Q(leave_reason__in=LeaveReason.values)),
                name="memberperiod_leave_reason_with_date",
                violation_error_message=_("Lý do kết thúc đi cùng ngày thôi sinh hoạt."),
            ),
            models.CheckConstraint(
                condition=Q(join_reason__in=JoinReason.values),
                name="memberperiod_join_reason_valid",
                violation_error_message=_("Lý do bắt đầu sinh hoạt không hợp lệ."),
            ),
        ]
        indexes = [
            # Serve the per-organisation and per-cell counts on a date (organizations.selectors._with_counts,
            # cells_of).
            models.Index(fields=["organization", "joined_on"], name="memberperiod_org_joined_idx"),
            models.Index(fields=["cell", "joined_on"], name="memberperiod_cell_joined_idx"),
            # The corrections of a count on a date from OpenMembershipCount (organizations.selectors._members_count):
            # the open periods that start after the date, the closed ones that end after it (index-only scans of
            # the few periods that changed since, with their organisation for the list's filter).
            models.Index(
                fields=["joined_on", "organization"],
                condition=Q(left_on__isnull=True),
                name="memberperiod_open_start_idx",
            ),
            models.Index(
                fields=["left_on", "joined_on", "organization"],
                condition=Q(left_on__isnull=False),
                name="memberperiod_closed_end_idx",
            ),
        ]

    def __str__(self):
        end = self.left_on.strftime("%d/%m/%Y") if self.left_on else "nay"
        return f"{self.member} · {self.organization} · {self.joined_on:%d/%m/%Y} – {end}"

    def clean(self):
        super().clean()
        # Only a new period is checked: a cell moved later to another organisation (a reorganisation) leaves
        # the periods of before as they were, and closing such a period must still be possible.
        adding = self._state.adding
        if adding and self.cell_id and self.organization_id and self.cell.organization_id != self.organization_id:
            raise ValidationError({"cell": _("Chi bộ không thuộc tổ chức cơ sở đảng đã chọn.")})

    def is_current_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


class OpenMembershipCount(models.Model):
    """How many membership periods of a base organisation are open (no left_on yet): a count of rows, not a
    figure on a date, kept by database triggers on MembershipPeriod (migration 0009) for every writer alike — the
    services, the Excel import's bulk writes and UPDATEs, the demo seed, the bench, the test factories — as an
    index is; Python never writes it. A count on a day D is derived from it and the dated periods
    (organizations.selectors._members_count): open − open ones joined after D + closed ones joined by D and left
    after D, so a transfer, merge or dissolution later than D changes no figure of D.

    Why (issue 13): the organisation list's member total counted every period current on the day (≈ 61,500 at
    1,000 organisations, 7–15 ms of SQL even quiet); from this table it reads one row an organisation and the
    periods that changed after the day."""

    organization = models.OneToOneField(
        BaseOrganization,
        verbose_name=_("tổ chức cơ sở đảng"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="open_membership_count",
    )
    open_periods = models.IntegerField(_("số quá trình sinh hoạt đang mở"), default=0)

    class Meta:
        verbose_name = _("số đảng viên đang sinh hoạt (đếm sẵn)")
        verbose_name_plural = _("số đảng viên đang sinh hoạt (đếm sẵn)")

    def __str__(self):
        return f"{self.organization_id}: {self.open_periods}"


class MassOrganization(ValidityPeriod):
    """A bloc mass organisation (đoàn thể khối): a recipient of dispatches."""

    bloc = models.ForeignKey(
        Bloc, verbose_name=_("đảng ủy khối"), on_delete=models.PROTECT, related_name="mass_organizations"
    )
    name = models.CharField(_("tên đoàn thể"), max_length=200)
    kind = models.CharField(_("loại đoàn thể"), max_length=20, choices=MassOrganizationKind.choices)
    email = models.EmailField(_("thư điện tử"), blank=True)

    class Meta:
        verbose_name = _("đoàn thể khối")
        verbose_name_plural = _("đoàn thể khối")
        ordering = ["name"]
        constraints = [_validity_constraint("massorg_valid_dates")]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A portal account. Committee staff manage everything, leaders read everything, and an officer works
    only for the one base organisation named on the account."""

    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.LEADER)
    organization = models.ForeignKey(
        BaseOrganization,
        verbose_name=_("tổ chức cơ sở đảng"),
        on_delete=models.PROTECT,
        related_name="officers",
        null=True,
        blank=True,
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.OFFICER) & Q(organization__isnull=False))
                | (~Q(role=Role.OFFICER) & Q(organization__isnull=True)),
                name="user_officer_has_organization",
                violation_error_message=_("Cán bộ cơ sở phải gắn với đúng một tổ chức; tài khoản khác thì không."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (last_name) before the given name (first_name)."""
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    @property
    def is_committee_staff(self) -> bool:
        return self.is_active and (self.role == Role.STAFF or self.is_superuser)

    @property
    def reads_everything(self) -> bool:
        return self.is_committee_staff or (self.is_active and self.role == Role.LEADER)
