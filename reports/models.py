"""Official documents: issuing bodies, committee terms, the numbering register (sổ văn bản đi), the documents
themselves (editable drafts, then issued and frozen) and export jobs."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dukportal.core.text import fold
from dukportal.documents import sources
from dukportal.submissions.models import Submission


class DocType(models.TextChoices):
    """Type codes of Party documents (party-document-format.md §8)."""

    CV = "CV", _("Công văn")
    BC = "BC", _("Báo cáo")
    KH = "KH", _("Kế hoạch")
    TB = "TB", _("Thông báo")
    HD = "HD", _("Hướng dẫn")

    @classmethod
    def type_name(cls, value: str) -> str:
        """The type name printed above the subject; a công văn prints none."""
        return "" if value == cls.CV else str(cls(value).label).upper()


class IssuerKind(models.TextChoices):
    COMMITTEE = "committee", _("Cấp ủy (Đảng ủy Khối)")
    DEPARTMENT = "department", _("Ban tham mưu của Đảng ủy Khối")


class IssuingBody(models.Model):
    """A body that issues documents in its own name and keeps its own number sequences: the bloc committee
    ("ĐUK") or one of its departments (Ban Tuyên giáo, "BTGĐUK"). Header lines and symbol default to the bloc's
    data; a filled field overrides it."""

    bloc = models.ForeignKey(
        "organizations.Bloc", verbose_name=_("đảng ủy khối"), on_delete=models.PROTECT, related_name="issuing_bodies"
    )
    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=IssuerKind.choices)
    name = models.CharField(_("tên gọi"), max_length=200, help_text=_("Ví dụ: Ban Tuyên giáo Đảng ủy Khối."))
    superior_line = models.CharField(
        _("dòng cơ quan cấp trên"), max_length=200, blank=True, help_text=_("Để trống: lấy từ dữ liệu đảng ủy khối.")
    )
    name_line = models.CharField(
        _("dòng tên cơ quan ban hành"),
        max_length=200,
        blank=True,
        help_text=_("Để trống: lấy từ dữ liệu đảng ủy khối."),
    )
    symbol = models.CharField(
        _("ký hiệu"), max_length=30, blank=True, help_text=_("Ví dụ: ĐUK, BTGĐUK. Để trống: lấy từ đảng ủy khối.")
    )
    signer_authority = models.CharField(
        _("thẩm quyền ký"), max_length=100, blank=True, help_text=_("Ví dụ: T/M BAN THƯỜNG VỤ, K/T TRƯỞNG BAN.")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    contact_name = models.CharField(_("người liên hệ"), max_length=120, blank=True)
    contact_title = models.CharField(_("chức vụ người liên hệ"), max_length=200, blank=True)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=30, blank=True)
    archive_line = models.CharField(_("dòng lưu"), max_length=200, default="Lưu Văn phòng Đảng ủy Khối.")
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = _("cơ quan ban hành")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=IssuerKind.values),
                name="issuingbody_kind_valid",
                violation_error_message=_("Loại cơ quan không hợp lệ."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def header_superior(self) -> str:
        if self.superior_line:
            return self.superior_line
        return self.bloc.parent_name if self.kind == IssuerKind.COMMITTEE else self.bloc.name

    @property
    def header_name(self) -> str:
        if self.name_line:
            return self.name_line
        return self.bloc.name if self.kind == IssuerKind.COMMITTEE else self.bloc.propaganda_department_name

    @property
    def code(self) -> str:
        return self.code_of(self.symbol, self.kind, self.bloc.symbol if not self.symbol else "")

    @staticmethod
    def code_of(symbol: str, kind: str, bloc_symbol: str) -> str:
        """`code` from the columns (lists read them with their rows, reports/rows.py)."""
        if symbol:
            return symbol
        return bloc_symbol if kind == IssuerKind.COMMITTEE else f"BTG{bloc_symbol}"


ISSUING_BODY_DATED_FIELDS = (
    "name",
    "superior_line",
    "name_line",
    "symbol",
    "signer_authority",
    "signer_title",
    "signer_name",
)


class IssuingBodyProfile(models.Model):
    """An issuing body's name, header overrides and signer from a date on (reports.services.issuing_body_change).
    Like the bloc's profiles: documents of before keep the values of their own date; the first change also
    records the values in force before it."""

    issuing_body = models.ForeignKey(
        IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.CASCADE, related_name="profiles"
    )
    valid_from = models.DateField(_("áp dụng từ ngày"))
    name = models.CharField(_("tên gọi"), max_length=200)
    superior_line = models.CharField(_("dòng cơ quan cấp trên"), max_length=200, blank=True)
    name_line = models.CharField(_("dòng tên cơ quan ban hành"), max_length=200, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=30, blank=True)
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thông tin theo thời kỳ của cơ quan ban hành")
        verbose_name_plural = _("thông tin theo thời kỳ của cơ quan ban hành")
        ordering = ["issuing_body", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "valid_from"],
                name="issuingbodyprofile_one_per_day",
                violation_error_message=_("Cơ quan ban hành đã có một thay đổi áp dụng từ ngày này."),
            )
        ]

    def __str__(self):
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"


class Term(models.Model):
    """A committee term (nhiệm kỳ). Document numbers run for a whole term and restart in the next one."""

    bloc = models.ForeignKey(
        "organizations.Bloc", verbose_name=_("đảng ủy khối"), on_delete=models.PROTECT, related_name="terms"
    )
    name = models.CharField(_("tên nhiệm kỳ"), max_length=100, help_text=_("Ví dụ: Nhiệm kỳ 2020 – 2025."))
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="term_end_after_start",
                violation_error_message=_("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.bloc_id and self.start_date and self.end_date:
            overlapping = Term.objects.filter(
                bloc_id=self.bloc_id, start_date__lte=self.end_date, end_date__gte=self.start_date
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError({"start_date": _("Nhiệm kỳ này trùng thời gian với một nhiệm kỳ đã có.")})


class NumberCounter(models.Model):
    """One sequence of the register: the last number used by an issuing body for a document type in a term.
    Issuing locks this row (SELECT … FOR UPDATE), so two issues never read the same value."""

    issuing_body = models.ForeignKey(
        IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="counters"
    )
    doc_type = models.CharField(_("loại văn bản"), max_length=5, choices=DocType.choices)
    term = models.ForeignKey(Term, verbose_name=_("nhiệm kỳ"), on_delete=models.PROTECT, related_name="counters")
    last_number = models.PositiveIntegerField(_("số cuối cùng đã dùng"), default=0)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("dãy số văn bản")
        verbose_name_plural = _("sổ đăng ký văn bản đi")
        ordering = ["issuing_body", "term", "doc_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "doc_type", "term"],
                name="counter_one_per_sequence",
                violation_error_message=_("Dãy số này đã có."),
            )
        ]

    def __str__(self):
        return f"{self.get_doc_type_display()} /{self.issuing_body.code} – {self.term}: {self.last_number}"


class DocumentKind(models.TextChoices):
    REMINDER = "reminder", _("Công văn đôn đốc theo hạn nộp")
    DANVAN_REPORT = "danvan_report", _("Báo cáo kết quả “Dân vận khéo” năm")
    QCDC_REPORT = "qcdc_report", _("Báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở năm")
    DISPATCH = "dispatch", _("Công văn triển khai nhiệm vụ (nhiều nội dung)")
    TOPIC_REPORT = "topic_report", _("Báo cáo kết quả thực hiện nhiệm vụ (nhiều nội dung)")
    OTHER = "other", _("Văn bản khác")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã phát hành")


def _document_path(instance, filename):
    return f"van-ban/{instance.issued_on:%Y}/{filename}"


class Document(models.Model):
    """An official document. A draft holds the text staff edit (`content`); issuing gives it its number from
    the register, renders and stores the .docx and .pdf and freezes the row: the service refuses changes and a
    database trigger (migration 0002) rejects any UPDATE or DELETE of an issued row. A correction is a new
    document."""

    # A DocumentKind or a report kind a feature app registered (dukportal.documents.sources): no choices here,
    # so a new kind needs no migration; the services refuse an unknown one.
    kind = models.CharField(_("loại"), max_length=20)
    doc_type = models.CharField(_("thể loại"), max_length=5, choices=DocType.choices)
    issuing_body = models.ForeignKey(
        IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="documents"
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    content = models.JSONField(_("nội dung"), default=dict)
    deadline = models.ForeignKey(
        "submissions.Deadline",
        verbose_name=_("hạn nộp"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # What the draft is written from when its kind has one (a campaign year, a QCDC cycle: whatever a feature
    # app registers), generic as DocumentTopic.source is, so reports needs no foreign key per feature app.
    source_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("loại nguồn số liệu"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    source_id = models.PositiveBigIntegerField(_("mã nguồn số liệu"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    figures_as_of = models.DateField(_("số liệu tính đến ngày"), null=True, blank=True)
    # What the header printed, frozen by document_issue in the UPDATE that issues the row (the trigger of
    # migration 0002 refuses any later one): list, register, preview and exports show these, never today's.
    header_superior = models.CharField(_("dòng cơ quan cấp trên (khi phát hành)"), max_length=200, blank=True)
    header_name = models.CharField(_("dòng tên cơ quan ban hành (khi phát hành)"), max_length=200, blank=True)
    symbol = models.CharField(_("ký hiệu (khi phát hành)"), max_length=30, blank=True)
    place_name = models.CharField(_("địa danh (khi phát hành)"), max_length=100, blank=True)
    issuer_name = models.CharField(_("tên cơ quan ban hành (khi phát hành)"), max_length=200, blank=True)
    term = models.ForeignKey(
        Term, verbose_name=_("nhiệm kỳ"), on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_at = models.DateTimeField(_("thời điểm phát hành"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phát hành"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    docx_file = models.FileField(_("tệp Word"), upload_to=_document_path, blank=True)
    pdf_file = models.FileField(_("tệp PDF"), upload_to=_document_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values),
                name="document_status_valid",
                violation_error_message=_("Trạng thái văn bản không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.DRAFT, number__isnull=True)
                | Q(
                    status=DocumentStatus.ISSUED,
                    number__isnull=False,
                    term__isnull=False,
                    issued_on__isnull=False,
                    issued_at__isnull=False,
                    issued_by__isnull=False,
                ),
                name="document_issued_is_complete",
                violation_error_message=_("Văn bản đã phát hành phải có số, nhiệm kỳ, ngày và người phát hành."),
            ),
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="document_source_complete",
                violation_error_message=_("Nguồn số liệu của văn bản phải có cả loại và mã."),
            ),
            # The last line of defence of the register: one number per sequence, whatever the code does.
            models.UniqueConstraint(
                fields=["issuing_body", "doc_type", "term", "number"],
                condition=Q(number__isnull=False),
                name="document_number_unique_in_sequence",
                violation_error_message=_("Số văn bản này đã được dùng."),
            ),
        ]

    def __str__(self):
        subject = self.content.get("subject", "") if isinstance(self.content, dict) else ""
        return f"{self.number_label} {subject}".strip()

    def get_absolute_url(self):
        return reverse("reports:document", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == DocumentStatus.ISSUED

    @property
    def kind_label(self) -> str:
        entry = sources.source_of(self.kind)
        if entry is not None:
            return entry.label
        return str(DocumentKind(self.kind).label) if self.kind in DocumentKind.values else self.kind

    @property
    def frozen_symbol(self) -> str:
        """The symbol printed when issued (rows issued before freezing existed: the body's current one)."""
        return self.symbol or self.issuing_body.code

    @property
    def issuer_label(self) -> str:
        """The issuing body's name as lists show it: frozen for an issued document, current for a draft."""
        return (self.issuer_name if self.is_issued else "") or self.issuing_body.name

    @property
    def number_label(self) -> str:
        if self.number is None:
            return str(_("Dự thảo"))
        return f"{self.number:02d}-{self.doc_type}/{self.frozen_symbol}"

    def file_stem(self) -> str:
        """ASCII file name: 1720-CV-DUK."""
        if self.number is None:
            return f"du-thao-{self.pk}-{self.doc_type}"
        return f"{self.number:02d}-{self.doc_type}-{fold(self.frozen_symbol).upper()}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


def _export_path(instance, filename):
    return f"xuat-du-lieu/{instance.created_at:%Y/%m}/{filename}"


class ExportJob(models.Model):
    """A long export run by a Celery task; the page polls `progress` until the file is ready."""

    kind = models.CharField(_("loại"), max_length=50)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    file = models.FileField(_("tệp"), upload_to=_export_path, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu xuất dữ liệu")
        verbose_name_plural = _("yêu cầu xuất dữ liệu")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="exportjob_progress_percent",
                violation_error_message=_("Tiến độ tính theo phần trăm."),
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"


# --- topics of a dispatch or report of several numbered sections (reports.topics) -------------------------------


class TopicKind(models.TextChoices):
    """reports' own kinds of topic. A whole source as one topic (a “Dân vận khéo” campaign, a QCDC cycle) takes the
    `topic_kind` its app registered in dukportal.documents.sources, so a new one needs no change here."""

    DEADLINE = "deadline", _("Hạn nộp")
    FREE = "free", _("Mục tự soạn")


class DocumentTopic(models.Model):
    """One numbered section ("1. Về việc …") of a dispatch or report of several topics, in its place. A topic
    drawn from data points at its source generically (a deadline, a campaign, a cycle: content type + id, as
    deadlines do), so reports needs no foreign key per feature app; regenerating the draft rewrites each such
    section for the draft's reference date. A free section keeps the heading and prose staff typed."""

    document = models.ForeignKey(Document, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="topics")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại nội dung"), max_length=20)  # a TopicKind or a registered source's topic_kind
    source_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("loại nguồn"), on_delete=models.PROTECT, null=True, blank=True
    )
    source_id = models.PositiveBigIntegerField(_("mã nguồn"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    title = models.CharField(_("đề mục"), max_length=300, blank=True)
    text = models.TextField(_("nội dung tự soạn"), blank=True)

    class Meta:
        verbose_name = _("nội dung của văn bản")
        verbose_name_plural = _("nội dung của văn bản")
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "position"],
                name="documenttopic_one_per_position",
                violation_error_message=_("Hai nội dung không thể cùng một thứ tự."),
            ),
            models.UniqueConstraint(
                fields=["document", "source_type", "source_id"],
                condition=Q(source_id__isnull=False),
                name="documenttopic_source_once",
                violation_error_message=_("Một nguồn số liệu chỉ được chọn một lần trong văn bản."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=""),
                name="documenttopic_kind_given",
                violation_error_message=_("Loại nội dung không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(kind=TopicKind.FREE, source_type__isnull=True, source_id__isnull=True)
                | (~Q(kind=TopicKind.FREE) & Q(source_type__isnull=False, source_id__isnull=False)),
                name="documenttopic_source_unless_free",
                violation_error_message=_("Nội dung lấy từ số liệu phải có nguồn; mục tự soạn thì không."),
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title or self.kind_label}"

    @property
    def kind_label(self) -> str:
        if self.kind in TopicKind.values:
            return str(TopicKind(self.kind).label)
        source = sources.for_topic(self.kind)
        return source.label if source else self.kind

    def clean(self):
        if self.kind not in TopicKind.values and sources.for_topic(self.kind) is None:
            raise ValidationError({"kind": _("Loại nội dung không hợp lệ.")})


# --- references, signers, recipients (issue 10) ---------------------------------------------------------------


class ReferenceKind(models.TextChoices):
    """The kinds of documents a dispatch cites, with the name printed before "số" in a citation."""

    PLAN = "KH", _("Kế hoạch")
    SCHEME = "ĐA", _("Đề án")
    GUIDE = "HD", _("Hướng dẫn")
    DISPATCH = "CV", _("Công văn")
    REPORT = "BC", _("Báo cáo")
    NOTICE = "TB", _("Thông báo")
    RESOLUTION = "NQ", _("Nghị quyết")
    CONCLUSION = "KL", _("Kết luận")
    DIRECTIVE = "CT", _("Chỉ thị")
    DECISION = "QĐ", _("Quyết định")
    PROGRAMME = "CTr", _("Chương trình")


class Reference(models.Model):
    """A document cited by the portal's documents ("Thực hiện Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 của …"),
    recorded once: the bloc's own plans, the superior documents they implement (`implements`), and every
    document the portal issues (a row made by document_issue, `document` set)."""

    kind = models.CharField(_("loại văn bản"), max_length=5, choices=ReferenceKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=50, help_text=_("Ví dụ: 252-KH/ĐUK, 13-ĐA/TU."))
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(
        _("cơ quan ban hành"), max_length=200, help_text=_("Ví dụ: Ban Thường vụ Đảng ủy Khối, Ban Dân vận Tỉnh ủy.")
    )
    summary = models.CharField(
        _("trích yếu"),
        max_length=500,
        help_text=_(
            "Viết như khi trích dẫn, bắt đầu bằng “về …”, ví dụ: về xây dựng và thực hiện Quy chế dân chủ ở cơ sở năm 2024."
        ),
    )
    implements = models.ManyToManyField(
        "self",
        verbose_name=_("thực hiện văn bản"),
        symmetrical=False,
        blank=True,
        related_name="implemented_by",
    )
    document = models.OneToOneField(
        Document,
        verbose_name=_("văn bản phát hành trên cổng"),
        on_delete=models.PROTECT,
        related_name="reference",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản được trích dẫn")
        verbose_name_plural = _("văn bản được trích dẫn")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "issued_on"],
                name="reference_one_per_number_and_date",
                violation_error_message=_("Văn bản có số, ký hiệu và ngày ban hành này đã được ghi nhận."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReferenceKind.values),
                name="reference_kind_valid",
                violation_error_message=_("Loại văn bản không hợp lệ."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} số {self.number} ngày {self.issued_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("reports:reference_edit", args=[self.pk])


class ReferenceLink(models.Model):
    """A reference cited for a campaign, a QCDC cycle or a deadline (any source a generated section is written
    from): a generic relation, so the feature apps need not know about references."""

    reference = models.ForeignKey(
        Reference, verbose_name=_("văn bản được trích dẫn"), on_delete=models.CASCADE, related_name="links"
    )
    source_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        verbose_name = _("liên kết trích dẫn")
        verbose_name_plural = _("liên kết trích dẫn")
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "source_type", "source_id"],
                name="referencelink_once_per_source",
                violation_error_message=_("Văn bản này đã được gắn với nội dung này."),
            )
        ]
        # citation_for: the references of one source.
        indexes = [models.Index(fields=["source_type", "source_id"], name="referencelink_source")]

    def __str__(self):
        return f"{self.reference} → {self.source_type.model} #{self.source_id}"


class SignerMode(models.TextChoices):
    """How the signer signs (guide 1.7): for a collective body (T/M), in place of the head (K/T), by order
    (T/L) or in their own right."""

    ON_BEHALF = "T/M", _("Thay mặt (T/M)")
    DEPUTY = "K/T", _("Ký thay (K/T)")
    BY_ORDER = "T/L", _("Thừa lệnh (T/L)")
    DIRECT = "direct", _("Ký trực tiếp")


class Signer(models.Model):
    """Someone who signs an issuing body's documents, and how: "T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ / Nguyễn Văn A",
    "K/T TRƯỞNG BAN / PHÓ TRƯỞNG BAN / …" or a direct signature ("TRƯỞNG BAN"). Chosen per document; the
    document keeps the printed lines in its content, so an issued document never changes with this row."""

    issuing_body = models.ForeignKey(
        IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="signers"
    )
    name = models.CharField(_("họ tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=100, help_text=_("Ví dụ: PHÓ BÍ THƯ, TRƯỞNG BAN."))
    mode = models.CharField(_("hình thức ký"), max_length=10, choices=SignerMode.choices)
    on_behalf_of = models.CharField(
        _("ký thay mặt / ký thay cho"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ: BAN THƯỜNG VỤ (T/M), BÍ THƯ hoặc TRƯỞNG BAN (K/T). Để trống khi ký trực tiếp."),
    )
    is_active = models.BooleanField(_("đang ký văn bản"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("người ký")
        verbose_name_plural = _("người ký")
        ordering = ["issuing_body", "-is_active", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=SignerMode.values),
                name="signer_mode_valid",
                violation_error_message=_("Hình thức ký không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(mode=SignerMode.DIRECT, on_behalf_of="")
                | (~Q(mode=SignerMode.DIRECT) & ~Q(on_behalf_of="")),
                name="signer_authority_matches_mode",
                violation_error_message=_(
                    "Ký thay mặt, ký thay hoặc thừa lệnh phải ghi rõ cho ai (ví dụ BAN THƯỜNG VỤ); ký trực tiếp thì để trống."
                ),
            ),
        ]

    def __str__(self):
        return " – ".join(part for part in (self.authority, self.position, self.name) if part)

    def get_absolute_url(self):
        return reverse("reports:signers", args=[self.issuing_body_id])

    @property
    def authority(self) -> str:
        """The bold line above the title: "T/M BAN THƯỜNG VỤ"; empty for a direct signature."""
        if self.mode == SignerMode.DIRECT:
            return ""
        return f"{self.mode} {self.on_behalf_of}".upper()


class SuperiorBody(models.Model):
    """A body the bloc reports to, listed in "Nơi nhận" with "(b/c)": Thường trực Tỉnh ủy, Ban Dân vận Tỉnh ủy…"""

    bloc = models.ForeignKey(
        "organizations.Bloc", verbose_name=_("đảng ủy khối"), on_delete=models.PROTECT, related_name="superior_bodies"
    )
    name = models.CharField(_("tên cơ quan"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("cơ quan cấp trên nhận báo cáo")
        verbose_name_plural = _("cơ quan cấp trên nhận báo cáo")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "name"],
                name="superiorbody_name_unique",
                violation_error_message=_("Cơ quan này đã có trong danh sách."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reports:superior_body_edit", args=[self.pk])


# --- delivery to the recipients, and the requests a dispatch makes (issue 10) ---------------------------------


class DocumentDelivery(models.Model):
    """An issued document delivered to one recipient base organisation (its "Văn bản đến" inbox). Written once
    per organisation after the issue (reports.delivery.document_deliver; the unique constraint makes a rerun a
    no-op); `first_opened_at` is set once, by the first officer of the organisation who opens it."""

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="deliveries"
    )
    organization = models.ForeignKey(
        "organizations.BaseOrganization",
        verbose_name=_("tổ chức cơ sở đảng"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivered_at = models.DateTimeField(_("thời điểm gửi đến"))
    first_opened_at = models.DateTimeField(_("xem lần đầu lúc"), null=True, blank=True)
    first_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem lần đầu"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("văn bản gửi đến tổ chức")
        verbose_name_plural = _("văn bản gửi đến tổ chức")
        ordering = ["-delivered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "organization"],
                name="documentdelivery_once_per_organization",
                violation_error_message=_("Văn bản này đã được gửi đến tổ chức này."),
            ),
            models.CheckConstraint(
                condition=Q(first_opened_at__isnull=True, first_opened_by__isnull=True)
                | Q(first_opened_at__isnull=False, first_opened_by__isnull=False),
                name="documentdelivery_opened_by_whom",
                violation_error_message=_("Lần xem đầu tiên phải ghi rõ thời điểm và người xem."),
            ),
        ]
        # Serves an organisation's inbox ("Văn bản đến"), newest first.
        indexes = [models.Index(fields=["organization", "delivered_at"], name="documentdelivery_inbox")]

    def __str__(self):
        return f"{self.document} → {self.organization}"

    @property
    def is_opened(self) -> bool:
        return self.first_opened_at is not None


class DocumentRequest(models.Model):
    """A request a section of a dispatch makes of its recipients ("gửi về … trước ngày 25/10/2024"), turned by
    staff into a tracked deadline: the Deadline's source is this row (kind reports.obligations.DOCUMENT_REQUEST),
    so the request appears on the tracking page and in reminders and leads back to its document."""

    document = models.ForeignKey(Document, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="requests")
    section = models.CharField(_("mục của văn bản"), max_length=300)
    title = models.CharField(_("nội dung phải nộp"), max_length=255)
    due_date = models.DateField(_("hạn"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("yêu cầu của văn bản")
        verbose_name_plural = _("yêu cầu của văn bản")
        ordering = ["document", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "section"],
                name="documentrequest_once_per_section",
                violation_error_message=_("Mục này của văn bản đã được tạo hạn nộp."),
            )
        ]

    def __str__(self):
        return f"{self.title} (hạn {self.due_date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("reports:document", args=[self.document_id])


class DocumentReply(Submission):
    """What an organisation sends back for a document's request (its report, as text and attached files): the
    submission that answers the request's deadline, sent through the shared workflow (its timeline says from
    when it counts)."""

    request = models.ForeignKey(
        DocumentRequest, verbose_name=_("yêu cầu của văn bản"), on_delete=models.PROTECT, related_name="replies"
    )
    note = models.TextField(_("nội dung báo cáo"))

    snapshot_fields = ("note",)

    class Meta:
        verbose_name = _("báo cáo theo yêu cầu của văn bản")
        verbose_name_plural = _("báo cáo theo yêu cầu của văn bản")
        ordering = ["request", "organization", "id"]
        # counted_from: timeline.counted_on over one request's replies (first sent before the end of a day).
        indexes = [models.Index(fields=["request", "counted_from"], name="documentreply_counted_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "organization"],
                condition=~Q(status="withdrawn"),
                name="documentreply_one_per_request",
                violation_error_message=_("Đơn vị đã gửi báo cáo cho yêu cầu này."),
            )
        ]

    def __str__(self):
        return self.request.title

    def get_absolute_url(self):
        return reverse("reports:reply", args=[self.pk])
