import random
import unicodedata

import pytest

from dukportal.core.text import fold, normalize_text, person_sort_key, sort_key
from organizations import selectors, services
from tests.factories import MemberFactory


def test_decomposed_accents_are_stored_as_the_same_name(organization, staff_user):
    typed = unicodedata.normalize("NFD", "Nguyễn Đức Phương")
    assert typed != "Nguyễn Đức Phương"
    member = services.member_save(
        actor=staff_user,
        code="DV1",
        full_name=f"  {typed}  ",
        gender="male",
        birth_date="1980-01-02",
        admitted_on="2004-05-06",
        organization=organization,
    )
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Đức Phương"
    assert normalize_text(typed) == member.full_name


def test_search_ignores_diacritics_and_case(organization, staff_user):
    MemberFactory(full_name="Nguyễn Đức Phương", organization=organization)
    MemberFactory(full_name="Trần Thị Hoa", organization=organization)
    found = selectors.member_list(staff_user, query="nguyen duc phuong")
    assert [m.full_name for m in found] == ["Nguyễn Đức Phương"]
    assert [m.full_name for m in selectors.member_list(staff_user, query="ĐỨC")] == ["Nguyễn Đức Phương"]


def test_fold_maps_d_stroke_and_tone_marks():
    assert fold("Đặng Văn Ân") == "dang van an"
    assert fold(unicodedata.normalize("NFD", "Hoà")) == fold("Hòa") == "hoa"


@pytest.mark.parametrize(
    "ordered",
    [
        ["An", "Ăn", "Ân", "Ba"],
        ["Do", "Dương", "Đặng", "Đỗ", "Em"],
        ["O", "Ô", "Ơ", "Phúc"],
        ["U", "Uông", "Ư", "Ưng", "V"],
        ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"],
        ["Anh Thư", "Ân Văn Đức", "Âu Minh Châu", "Ba"],
    ],
)
def test_sort_key_follows_vietnamese_alphabet(ordered):
    shuffled = random.Random(7).sample(ordered, len(ordered))
    assert sorted(shuffled, key=sort_key) == ordered


def test_people_sort_by_given_name_first():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Ánh"]
    assert sorted(names, key=person_sort_key) == ["Trần Thị An", "Lê Ánh", "Nguyễn Văn Bình"]


def test_member_list_is_in_vietnamese_order_from_the_database(organization, staff_user):
    for name in ["Phạm Văn Đức", "Lê Văn Dũng", "Hoàng Thị Ánh", "Vũ Văn Ưng", "Đỗ Thị Uyên", "Bùi Văn An"]:
        MemberFactory(full_name=name, organization=organization)
    listed = [m.full_name for m in selectors.member_list(staff_user)]
    assert listed == [
        "Bùi Văn An",
        "Hoàng Thị Ánh",
        "Lê Văn Dũng",
        "Phạm Văn Đức",
        "Đỗ Thị Uyên",
        "Vũ Văn Ưng",
    ]
