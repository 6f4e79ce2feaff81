"""The member search ranks a bounded set of matches (issue 13): every exact full name and the first matches in
alphabetical order, so a common family name does not rank a third of the bloc for each page. Under the cap it
is the whole ranked search; past it the page says “more than”, lists the exact names and then the first names
in alphabetical order (whole words before word starts), and asks for another word."""

import pytest
from django.db import connection
from django.urls import reverse

from organizations import selectors
from organizations.models import Member
from organizations.services import refresh_keys
from organizations.views import MemberSearchView
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

RANKING = [
    "Nguyễn Văn An",
    "Nguyễn Văn Bình",
    "Nguyễn Văn Anh",
    "Lê Thị Lan",
    "Trần An Khánh",
    "Nguyễn Văn An Phú",
    "Đặng Văn Ân",
    "Hoàng Thị Thanh",
]

# For "an vu" with a cap of 3, in the member lists' alphabetical order (person_sort_key: given name first): the
# word starts (Vũ Anh …, given names B–H) come first, the whole words (Vũ An …, K and P) after them, and the
# exact full name "An Vũ" (given name Vũ) last.
PAST_THE_CAP = [
    "Vũ Anh Bảo",  # word start ("an" starts "Anh")
    "Vũ Anh Cường",
    "Vũ Anh Dũng",
    "Vũ Anh Hà",
    "Vũ An Khánh",  # every word whole
    "Vũ An Phú",
    "An Vũ",  # the exact full name
]


def _names(ids):
    names = dict(Member.objects.values_list("pk", "full_name"))
    return [names[pk] for pk in ids]


@pytest.mark.parametrize("query", ["nguyen van an", "an", "nguyen", "DANG VAN AN", "binh nguyen", "le lan", "xuan"])
def test_under_the_cap_the_ids_are_the_whole_ranked_search(organization, staff_user, query):
    for name in RANKING:
        MemberFactory(organization=organization, full_name=name)
    ranked = [m.pk for m in selectors.member_list(staff_user, query=query)]
    assert selectors.member_search_ids(staff_user, query, limit=100) == ranked


def test_past_the_cap_the_exact_name_then_the_first_in_alphabetical_order(organization, staff_user):
    for name in PAST_THE_CAP:
        MemberFactory(organization=organization, full_name=name)
    ids = selectors.member_search_ids(staff_user, "an vu", limit=4)  # the page's cap of 3, plus one
    assert _names(ids) == ["An Vũ", "Vũ Anh Bảo", "Vũ Anh Cường", "Vũ Anh Dũng"]
    # The whole ranking would put the whole words next: narrowing the search finds them.
    whole = [m.full_name for m in selectors.member_list(staff_user, query="an vu")][:4]
    assert whole == ["An Vũ", "Vũ An Khánh", "Vũ An Phú", "Vũ Anh Bảo"]
    assert _names(selectors.member_search_ids(staff_user, "vu an khanh", limit=4)) == ["Vũ An Khánh"]


def test_past_the_cap_whole_words_rank_before_word_starts_among_the_first(organization, staff_user):
    for name in [*PAST_THE_CAP, "Vũ An Bình"]:  # a whole-word match among the first in alphabetical order
        MemberFactory(organization=organization, full_name=name)
    ids = selectors.member_search_ids(staff_user, "an vu", limit=4)
    assert _names(ids) == ["An Vũ", "Vũ An Bình", "Vũ Anh Bảo", "Vũ Anh Cường"]


def test_page_past_the_cap_says_more_than_and_lists_the_bounded_ranking(
    staff_client, organization, monkeypatch, django_assert_num_queries
):
    for name in PAST_THE_CAP:
        MemberFactory(organization=organization, full_name=name)
    monkeypatch.setattr(MemberSearchView, "counted_up_to", 3)
    url = reverse("organizations:member_search")
    staff_client.get(url, {"q": "an vu"})  # per-process caches (the session, the bloc header)
    with django_assert_num_queries(5):  # session, user, ranked ids, bloc header, the page's rows
        response = staff_client.get(url, {"q": "an vu"})
    html = response.content.decode()
    assert "Tìm thấy hơn 3 đảng viên; chỉ hiện 3 người đầu tiên, hãy gõ thêm tên để thu hẹp kết quả." in html
    shown = [m.full_name for m in response.context["page"].object_list]
    assert shown == ["An Vũ", "Vũ Anh Bảo", "Vũ Anh Cường"]
    assert html.index("An Vũ<") < html.index("Vũ Anh Bảo") < html.index("Vũ Anh Cường")
    assert not response.context["page"].has_other_pages()


def test_page_under_the_cap_gives_the_exact_count_and_the_whole_ranking(staff_client, staff_user, organization):
    for name in RANKING:
        MemberFactory(organization=organization, full_name=name)
    response = staff_client.get(reverse("organizations:member_search"), {"q": "an"})
    assert "Tìm thấy 5 đảng viên." in response.content.decode()
    shown = [m.full_name for m in response.context["page"].object_list]
    assert shown == [m.full_name for m in selectors.member_list(staff_user, query="an")]
    assert shown[-1] == "Nguyễn Văn Anh"  # the only word start, after the whole words


def test_the_officer_finds_only_members_of_their_organisation(officer_user, organization, other_organization):
    mine = MemberFactory(organization=organization, full_name="An Vũ")
    MemberFactory(organization=other_organization, full_name="An Vũ")
    assert selectors.member_search_ids(officer_user, "an vu", limit=10) == [mine.pk]


def test_without_limit_in_union_the_same_ids(organization, staff_user, monkeypatch):
    for name in [*PAST_THE_CAP, *RANKING]:
        MemberFactory(organization=organization, full_name=name)
    queries = ["an vu", "an", "nguyen van an", "xuan"]
    found = {q: selectors.member_search_ids(staff_user, q, limit=4) for q in queries}
    # SQLite's form (no LIMIT inside a UNION), on whichever database runs the tests: the same ids, same order.
    monkeypatch.setattr(connection.features, "supports_slicing_ordering_in_compound", False)
    assert {q: selectors.member_search_ids(staff_user, q, limit=4) for q in queries} == found


def test_a_common_name_walks_the_alphabetical_index_and_stops(postgres_only, organization, staff_user):
    template = MemberFactory.build(organization=organization)
    rows = []
    for number in range(3000):
        member = Member(
            **{f.attname: getattr(template, f.attname) for f in Member._meta.concrete_fields if not f.primary_key},
        )
        member.code = f"DV{number:06d}"
        # A third of the bloc are Nguyễn, as in bench/dataset.py.
        member.full_name = f"{['Nguyễn', 'Trần', 'Lê'][number % 3]} Văn {chr(ord('A') + number % 26)}{number}"
        refresh_keys(member)
        rows.append(member)
    Member.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE organizations_member")
    plan = selectors.member_search_candidates(staff_user, "nguyen", limit=101).explain()
    # A walk in alphabetical order that stops at the 101st match, not a scan of every match sorted: an index-only
    # scan of member_search_order_idx once the table is vacuumed (bench/dataset.py), of the sort_key index here.
    walks = ("Index Only Scan using member_search_order_idx", "Index Scan using member_search_order_idx")
    walks += ("Index Scan using organizations_member_sort_key",)
    assert any(walk in plan for walk in walks), plan
    assert "Seq Scan" not in plan and "Bitmap Heap Scan" not in plan, plan
    assert len(selectors.member_search_ids(staff_user, "nguyen", limit=101)) == 101
