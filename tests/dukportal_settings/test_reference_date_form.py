"""The shared "Số liệu tính đến ngày" field: dd/mm/yyyy, default today, bad or future input refused in Vietnamese."""

from datetime import date

import time_machine

from dukportal.core.forms import ReferenceDateForm


@time_machine.travel("2024-12-01 09:00 +0700", tick=False)
def test_reference_date_defaults_to_today_and_reads_dd_mm_yyyy():
    assert ReferenceDateForm({}).reference_date() == date(2024, 12, 1)
    form = ReferenceDateForm({"ngay": "15/05/2024"})
    assert form.reference_date() == date(2024, 5, 15) and form.query_string == "ngay=15%2F05%2F2024"


@time_machine.travel("2024-12-01 09:00 +0700", tick=False)
def test_bad_or_future_reference_date_is_refused_and_today_is_used():
    bad = ReferenceDateForm({"ngay": "31/02/2024"})
    assert bad.reference_date() == date(2024, 12, 1)
    assert "Ngày không hợp lệ" in bad.errors["ngay"][0] and bad["ngay"].value() == "31/02/2024"
    future = ReferenceDateForm({"ngay": "02/12/2024"})
    assert future.reference_date() == date(2024, 12, 1)
    assert "không được sau ngày hôm nay" in future.errors["ngay"][0]
