"""Demo training needs for next year (issue 23): the Department of Home Affairs, the Department
of Finance and Hải Châu ward (the demo head's unit) have submitted theirs, the Department of
Construction has a draft, and the plan is consolidated but not approved — so `hr` (the
Department: their grant covers the city) finds a plan to review and approve at
/planning/<next year>/plan, and `head` finds the ward's needs. Idempotent: nothing is added
once next year has any needs."""

from sqlalchemy import select

from lms.common import clock
from lms.extensions import db
from lms.organisation.queries import unit_by_code
from lms.teams.planning import services
from lms.teams.planning.models import NeedSubmission

# unit → (course code or "", content area when no course, officials, quarter, positions, note)
NEEDS = {
    "SNV": [
        ("BB03", "", 25, 1, "", "Chuyển đổi số cho toàn bộ công chức của Sở"),
        ("VT02", "", 6, 2, "CM-CCVC", ""),
        ("LD02", "", 4, 3, "LD-TP", "Trưởng, phó phòng mới bổ nhiệm"),
    ],
    "STC": [
        ("BB01", "", 18, 1, "", ""),
        ("", "ND4", 10, 2, "", "Kỹ năng thẩm định dự toán: chưa có khóa học phù hợp"),
    ],
    "P-HAICHAU": [
        ("BB03", "", 12, 1, "XA-MC", "Công chức bộ phận một cửa"),
        ("BB02", "", 20, 2, "", "Vận hành chính quyền địa phương hai cấp"),
    ],
}
DRAFT = {"SXD": [("BB01", "", 15, 3, "", "")]}


def load_planning() -> int:
    """Add next year's demo needs and consolidate the plan; returns the need lines added."""
    year = clock.today().year + 1
    if db.session.scalar(select(NeedSubmission.id).where(NeedSubmission.year == year)):
        return 0
    added = 0
    for needs, submit in ((NEEDS, True), (DRAFT, False)):
        for code, lines in needs.items():
            unit = unit_by_code(code)
            if unit is None:
                continue
            for course, area, count, quarter, positions, note in lines:
                data = services.NeedData(course, area, count, quarter, positions, note)
                services.add_need(unit, year, data, actor=None)
                added += 1
            if submit:
                services.submit_needs(unit, year, actor=None)
    if added:
        services.consolidate(year, actor=None)
    return added
