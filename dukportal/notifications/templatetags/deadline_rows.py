"""The rows of the organisation page's deadlines section (templates/notifications/_organization_deadlines.html),
formatted in Python: its two `{% for %}` loops with the standing badge's `{% include %}` were about a quarter of
the officer's land page's CPU (bench/README.md, branches page8 and page9). The text is the loops' own, byte for
byte, each value escaped as `{{ }}` escapes it (tests/notifications/test_deadline_rows.py renders the old
template, kept in tests/notifications/deadlines_reference/, beside it)."""

import html
from datetime import date, datetime

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.safestring import mark_safe

register = template.Library()

# One loop turn's text, as the template wrote it (the whitespace around the tags included).
OBLIGATION_ROW = (
    '\n        <tr><td><span class="small text-muted">{label}</span><br>{title}</td>\n'
    "          <td>{due}{left}</td>\n"
    "          <td>{badge}\n</td>\n"
    "          <td>{action}\n"
    "            {nil}</td></tr>\n      "
)
NO_OBLIGATION = (
    '\n        <tr><td colspan="4" class="text-muted text-center">Năm nay chưa có hồ sơ nào phải nộp.</td></tr>\n      '
)
REMINDER_ROW = (
    "\n        <tr><td>{created}</td>\n"
    '          <td><span class="small text-muted">{kind}</span><br>{title}</td>\n'
    '          <td class="small">{portal}\n'
    "            {mail}\n"
    "            {nobody}</td></tr>\n      "
)
NO_REMINDER = '\n        <tr><td colspan="3" class="text-muted text-center">Chưa có nhắc nhở nào.</td></tr>\n      '

# The old _standing_badge.html's opening tag for each standing code (anything else: secondary).
BADGE_OPENING = {
    "accepted": '<span class="badge text-bg-success">',
    "submitted": '<span class="badge text-bg-primary">',
    "returned": '<span class="badge text-bg-warning">',
    "late": '<span class="badge text-bg-danger">',
    "nil": '<span class="badge text-bg-info nil-badge">',
}
NOT_OWED = '<span class="text-muted" title="Đơn vị không phải nộp">—</span>'


def _escaped(value) -> str:
    """What `{{ value }}` writes for a string: conditional_escape as a plain str."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _local(moment):
    """The `date` filter's value: an aware datetime in the current time zone (template_localtime)."""
    if isinstance(moment, datetime) and settings.USE_TZ and timezone.is_aware(moment):
        return timezone.localtime(moment)
    return moment


def _day(value: date | datetime) -> str:
    """`value|date:"d/m/Y"`."""
    value = _local(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _minute(value: datetime) -> str:
    """`value|date:"d/m/Y H:i"`."""
    value = _local(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d} {value.hour:02d}:{value.minute:02d}"


def _number(value) -> str:
    """`{{ value }}` for an integer (grouped only when the settings ask for it, as localize does)."""
    return formats.localize(value) if settings.USE_THOUSAND_SEPARATOR else str(value)


def standing_badge(standing) -> str:
    """The old _standing_badge.html's text for a Standing (None: not owed; tests/notifications/deadlines_reference/)."""
    if standing is None:
        return NOT_OWED
    text = BADGE_OPENING.get(standing.code, '<span class="badge text-bg-secondary">') + _escaped(standing.label)
    text += "</span>"
    if standing.submitted_at:
        text += ' <span class="small">' + _day(standing.submitted_at) + "</span>"
    if standing.sent_late:
        text += ' <span class="small text-danger">(nộp muộn)</span>'
    return text


@register.simple_tag
def obligation_rows(obligations, can_answer_nil) -> str:
    """The `<tr>` rows of the section's obligations (OwnObligation, selectors.organization_obligations): the
    kind's label and the deadline's title, the due date and, while owed, the days left (red when late), the
    standing's badge, the action button and, for the organisation's own officers, “Không phát sinh”."""
    if not obligations:
        return mark_safe(NO_OBLIGATION)  # noqa: S308 (constant text)
    rows = []
    for item in obligations:
        standing = item.standing
        deadline = item.deadline
        owes = standing.owes
        left = ""
        if owes:
            danger = "text-danger" if standing.code == "late" else ""
            left = f'<br><span class="small {danger}">{_escaped(item.days_left_label)}</span>'
        action = ""
        url = item.action_url
        if url:
            style = "btn-primary" if owes or standing.code == "returned" else "btn-outline-secondary"
            action = (
                f'<a class="btn btn-sm {style} obligation-action" href="{_escaped(url)}">'
                f"{_escaped(item.action_label)}</a>"
            )
        nil = ""
        if can_answer_nil:
            nil_url = item.nil_url
            if nil_url:
                nil = (
                    f'<a class="btn btn-sm btn-outline-info nil-action" href="{_escaped(nil_url)}">Không phát sinh</a>'
                )
        rows.append(
            OBLIGATION_ROW.format(
                label=_escaped(item.label),
                title=_escaped(deadline.title),
                due=_day(deadline.due_date),
                left=left,
                badge=standing_badge(standing),
                action=action,
                nil=nil,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)


@register.simple_tag
def reminder_rows(reminders) -> str:
    """The `<tr>` rows of the reminders the organisation received (selectors.organization_reminders, each with its
    deadline): when, what, and by which channel (the portal, e-mail and whether it went, or nobody to receive)."""
    if not reminders:
        return mark_safe(NO_REMINDER)  # noqa: S308 (constant text)
    rows = []
    for reminder in reminders:
        notified = reminder.notified_users
        portal = f"Thông báo trên Cổng ({_number(notified)} tài khoản)" if notified else ""
        mail = ""
        if reminder.emailed_to:
            mail = "<br>" if notified else ""
            mail += "Thư điện tử: " + ", ".join(_escaped(address) for address in reminder.email_addresses)
            if reminder.email_error:
                mail += ' <span class="text-danger">(gửi lỗi)</span>'
            elif not reminder.email_sent_at:
                mail += ' <span class="text-muted">(đang gửi)</span>'
        nobody = ""
        if not notified and not reminder.emailed_to:
            nobody = '<span class="text-danger">Không có tài khoản hay địa chỉ thư để nhận</span>'
        rows.append(
            REMINDER_ROW.format(
                created=_minute(reminder.created_at),
                kind=_escaped(reminder.get_kind_display()),
                title=_escaped(reminder.deadline.title),
                portal=portal,
                mail=mail,
                nobody=nobody,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)
