"""The notification list's items, formatted in Python (notifications/templatetags/notification_rows.py, issue
13), are the bytes the old template loop printed: unread marked and highlighted, category and moment (local
time), the body folded, the open and read buttons, each form with the page's CSRF token, every text escaped."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from dukportal.notifications.models import Notification

pytestmark = pytest.mark.django_db

# The loop of templates/notifications/notification_list.html before the items moved to Python.
OLD_ITEMS = Template(
    """<div class="list-group" id="notification-list">
{% for notification in page %}
  <div class="list-group-item{% if not notification.read_at %} list-group-item-warning{% endif %}" data-unread="{{ notification.read_at|yesno:'0,1' }}">
    <div class="d-flex justify-content-between gap-2">
      <div>
        <div class="small text-muted">{{ notification.get_category_display }} · {{ notification.created_at|date:"d/m/Y H:i" }}{% if not notification.read_at %} · <strong>Chưa đọc</strong>{% endif %}</div>
        <div class="fw-semibold">{{ notification.title }}</div>
        {% if notification.body %}<details><summary class="small">Nội dung</summary><pre class="small mb-0" style="white-space: pre-wrap">{{ notification.body }}</pre></details>{% endif %}
      </div>
      <form method="post" action="{% url 'notifications:read' notification.pk %}" class="text-nowrap">{% csrf_token %}
        {% if notification.url %}<button type="submit" name="open" value="1" class="btn btn-sm btn-primary">Xem</button>{% endif %}
        {% if not notification.read_at %}<button type="submit" class="btn btn-sm btn-outline-secondary">Đã đọc</button>{% endif %}
      </form>
    </div>
  </div>
{% empty %}
  <p class="text-muted">Chưa có thông báo nào.</p>
{% endfor %}
</div>"""
)


def _old(html: str, user) -> str:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    notifications = list(Notification.objects.filter(recipient=user)[:30])
    return OLD_ITEMS.render(Context({"page": notifications, "csrf_token": token[1] if token else ""}))


def test_the_items_are_the_old_templates_output(officer_client, officer_user):
    Notification.objects.create(
        recipient=officer_user, category="reminder", title="Nhắc <b>hạn</b> & “nộp”", body="Dòng 1\n<Dòng 2>"
    )
    Notification.objects.create(recipient=officer_user, category="reminder", title="Đã đọc", url="/to-chuc/")
    Notification.objects.filter(title="Đã đọc").update(
        created_at="2024-05-01T23:30:00+00:00", read_at="2024-05-02T08:00:00+07:00"
    )
    Notification.objects.create(recipient=officer_user, category="reminder", title="Có đường dẫn", url="/van-ban/")
    html = officer_client.get(reverse("notifications:list")).content.decode()
    old = _old(html, officer_user)
    assert old.count('class="list-group-item') == 3 and "Nhắc &lt;b&gt;hạn&lt;/b&gt; &amp; “nộp”" in old
    assert "02/05/2024 06:30" in old  # the moment in Hà Nội time
    assert old in html


def test_an_empty_list_says_so(officer_client, officer_user):
    html = officer_client.get(reverse("notifications:list")).content.decode()
    old = _old(html, officer_user)
    assert "Chưa có thông báo nào." in old and old in html
