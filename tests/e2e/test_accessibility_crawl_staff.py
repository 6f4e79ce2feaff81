"""The accessibility crawl of test_accessibility_crawl.py as staff (every page the staff reach, axe-core and no
sideways scrolling at each width), in a module of its own: the longest browser test, run beside the others'."""

import pytest

from tests.e2e.test_accessibility_crawl import crawl_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_every_page_passes_axe_and_fits_the_screen_as_staff(browser, live_server):
    crawl_as(browser, live_server, "staff")
