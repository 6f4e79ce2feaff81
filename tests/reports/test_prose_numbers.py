"""Counts written into generated documents read as the committee writes them."""

import pytest

from reports.generators import count


@pytest.mark.parametrize(
    ("n", "written"),
    [(0, "0"), (2, "02"), (9, "09"), (10, "10"), (133, "133"), (4694, "4.694"), (1234567, "1.234.567")],
)
def test_counts_have_a_leading_zero_below_ten_and_dots_between_thousands(n, written):
    assert count(n) == written
