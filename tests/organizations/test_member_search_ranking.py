"""Member search finds names by whole words and word starts, ignores diacritics and case, puts the exact full
name first, and says so when nothing matches."""

import pytest
from django.urls import reverse

from organizations import selectors
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "Nguyễn Văn An",
    "Nguyễn Văn Bình",
    "Nguyễn Văn Anh",
    "Lê Thị Lan",
    "Trần An Khánh",
    "Nguyễn Văn An Phú",
    "Đặng Văn Ân",
    "Hoàng Thị Thanh",
]


@pytest.fixture
def members(organization):
    return [MemberFactory(full_name=name, organization=organization) for name in NAMES]


def _found(user, query):
    return [m.full_name for m in selectors.member_list(user, query=query)]


def test_full_name_never_returns_a_namesake_with_another_given_name(members, staff_user):
    found = _found(staff_user, "Nguyễn Văn An")
    assert "Nguyễn Văn Bình" not in found
    assert found[0] == "Nguyễn Văn An"


def test_exact_name_first_then_whole_words_then_word_starts(members, staff_user):
    assert _found(staff_user, "nguyen van an") == [
        "Nguyễn Văn An",  # the exact full name
        "Nguyễn Văn An Phú",  # every typed word whole
        "Nguyễn Văn Anh",  # "an" only starts "Anh"
    ]


def test_a_word_start_matches_but_a_word_middle_does_not(members, staff_user):
    found = _found(staff_user, "an")
    # "An", "Anh", "Ân" (diacritics ignored) start with "an"; "Lan", "Thanh", "Khánh" only contain it.
    assert set(found) == {"Nguyễn Văn An", "Nguyễn Văn Anh", "Trần An Khánh", "Nguyễn Văn An Phú", "Đặng Văn Ân"}
    assert found.index("Nguyễn Văn Anh") > max(found.index(n) for n in found if n != "Nguyễn Văn Anh")


def test_search_ignores_diacritics_case_and_d_stroke(members, staff_user):
    assert _found(staff_user, "DANG VAN AN") == ["Đặng Văn Ân"]
    assert _found(staff_user, "đặng  ân") == ["Đặng Văn Ân"]
    assert _found(staff_user, "le lan") == ["Lê Thị Lan"]


def test_words_may_be_typed_in_any_order(members, staff_user):
    assert _found(staff_user, "binh nguyen") == ["Nguyễn Văn Bình"]


def test_search_is_one_query_however_many_matches(members, staff_user, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(selectors.member_list(staff_user, query="nguyen van"))


def test_page_ranks_exact_name_first_and_says_when_nothing_matches(members, staff_client):
    page = staff_client.get(reverse("organizations:member_search"), {"q": "Nguyễn Văn An"}).content.decode()
    assert page.index("Nguyễn Văn An<") < page.index("Nguyễn Văn An Phú") < page.index("Nguyễn Văn Anh")
    assert "Nguyễn Văn Bình" not in page
    empty = staff_client.get(reverse("organizations:member_search"), {"q": "Phạm Xuân"}).content.decode()
    assert "Không tìm thấy đảng viên nào khớp với “Phạm Xuân”." in empty
    assert "<table" not in empty
