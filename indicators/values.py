"""Reading and checking what an officer types for an indicator: Vietnamese number formats ("1.234.000",
"12,5 %"), bounds and required answers, each refusal in Vietnamese. Pure functions, no database."""

import re
from decimal import Decimal, InvalidOperation

from .models import NUMERIC_KINDS, IndicatorKind

_WHOLE = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)$")
_MONEY_SUFFIX = re.compile(r"\s*(đồng|đ|vnđ|vnd)\s*$", re.IGNORECASE)
YES = {"yes", "co", "có", "true", "1", "on"}
NO = {"no", "khong", "không", "false", "0", "off"}


def vn_number(value) -> str:
    """1966 → "1.966"; Decimal("12.5") → "12,5" (Vietnamese grouping and decimal comma)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    whole, _, fraction = f"{number.normalize():f}".partition(".")
    return f"{int(whole):,}".replace(",", ".") + "," + fraction


def is_empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse(indicator, raw):
    """The stored form of `raw` for `indicator` (int for whole numbers and money, text of a decimal for
    percentages, bool, text), None when empty. Raises ValueError with a Vietnamese message."""
    if is_empty(raw):
        return None
    kind = indicator.kind
    if kind == IndicatorKind.YES_NO:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError("chọn “Có” hoặc “Không”.")
    if kind in (IndicatorKind.SHORT_TEXT, IndicatorKind.LONG_TEXT):
        text = str(raw).strip()
        if kind == IndicatorKind.SHORT_TEXT and len(text) > 255:
            raise ValueError("nội dung ngắn không quá 255 ký tự.")
        return text
    if isinstance(raw, bool):
        raise ValueError("nhập một số.")
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, Decimal | float):
        number = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if kind == IndicatorKind.MONEY:
            text = _MONEY_SUFFIX.sub("", text)
        if kind == IndicatorKind.PERCENT:
            text = text.removesuffix("%").replace(",", ".")
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise ValueError("nhập tỷ lệ phần trăm, ví dụ 12,5.") from None
        else:
            if not _WHOLE.match(text):
                example = "1.234.000" if kind == IndicatorKind.MONEY else "1.966"
                raise ValueError(f"nhập số nguyên, ví dụ {example}.")
            number = Decimal(text.replace(".", ""))
    if not number.is_finite():
        raise ValueError("nhập một số.")
    if kind != IndicatorKind.PERCENT:
        if number != number.to_integral_value():
            raise ValueError("nhập số nguyên.")
        return int(number)
    return f"{number.normalize():f}"


def number_of(value) -> Decimal | None:
    """A stored numeric value back as a Decimal (None when empty)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    return Decimal(str(value))


def check(indicator, value) -> None:
    """Bounds of a parsed value (percentages lie in 0–100 unless the indicator says otherwise)."""
    if value is None or indicator.kind not in NUMERIC_KINDS:
        return
    number = number_of(value)
    low, high = indicator.min_value, indicator.max_value
    if indicator.kind == IndicatorKind.PERCENT:
        low = Decimal(0) if low is None else low
        high = Decimal(100) if high is None else high
    if low is not None and number < low:
        raise ValueError(f"không được nhỏ hơn {vn_number(low)}.")
    if high is not None and number > high:
        raise ValueError(f"không được lớn hơn {vn_number(high)}.")


def clean(indicators, raw: dict, *, complete: bool) -> tuple[dict, dict]:
    """({code: stored value}, {code: Vietnamese message}) for the `raw` answers. `complete`: every required
    indicator must be answered (sending); a draft may leave some empty."""
    values, errors = {}, {}
    for indicator in indicators:
        try:
            value = parse(indicator, raw.get(indicator.code))
            check(indicator, value)
        except ValueError as error:
            errors[indicator.code] = f"“{indicator.label}”: {error}"
            continue
        if value is None:
            if complete and indicator.required:
                errors[indicator.code] = f"“{indicator.label}”: vui lòng nhập số liệu (chỉ tiêu bắt buộc)."
            continue
        values[indicator.code] = value
    return values, errors
