"""The menu names the section a page belongs to: on a phone its button reads "Danh mục ·
Khóa học" on a course's own page, not a bare "Danh mục" (the entry is the longest menu address
above the page; the home page only for itself)."""

import re

import pytest

from lms.web import current_entry
from tests.factories import make_course

ITEMS = [
    ("Home", "/"),
    ("My training", "/me"),
    ("Courses", "/courses/"),
    ("My classes", "/me/classes/"),
    ("Manage courses", "/courses/manage/"),
    ("Users", "/manage/users"),
]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "/"),
        ("/courses/", "/courses/"),
        ("/courses/BB01", "/courses/"),
        ("/courses/BB01/test", "/courses/"),
        ("/courses/manage/BB01/questions", "/courses/manage/"),
        ("/me", "/me"),
        ("/me/evaluations/3", "/me"),
        ("/me/classes/7", "/me/classes/"),
        ("/manage/users/4", "/manage/users"),
        ("/manage/usersx", None),
        ("/mex", None),
        ("/privacy", None),
    ],
)
def test_the_current_entry_is_the_longest_menu_address_above_the_page(path, current):
    assert current_entry(ITEMS, path) == current


def _menu_button(page: str) -> str:
    summary = page.split('class="main-nav"')[1].split("</summary>")[0]
    return re.sub(r"\s+", " ", summary.split("<summary>")[1]).strip()


def test_detail_pages_name_their_section_in_the_menu(login_as, world, db):
    make_course("BB01", title="Kỹ năng tiếp công dân")
    db.session.commit()
    course = login_as("learner").get("/courses/BB01")
    assert course.status_code == 200
    page = course.get_data(as_text=True)
    assert _menu_button(page) == "Danh mục · Khóa học"
    assert 'href="/courses/" aria-current="true"' in page
    planning = login_as("hr").get("/planning/2027/needs")
    assert planning.status_code == 200
    assert _menu_button(planning.get_data(as_text=True)) == "Danh mục · Kế hoạch đào tạo"
    home = login_as("hr").get("/courses/").get_data(as_text=True)
    assert _menu_button(home) == "Danh mục · Khóa học"
    assert 'href="/courses/" aria-current="page"' in home
