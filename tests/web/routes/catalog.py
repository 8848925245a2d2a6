"""Denial rows of the catalog (and its access rows, ACCESS, at the end): XXD is a
draft course of unit XX — outside the authoring scope of the training manager (DN), and closed
to learners, for whom only published courses exist."""

from tests.web.routes.expect import ANY_USER, AUTHORS, AUTHORS_POST, OFFICIALS_POST, Denial

OUT = "/courses/{out_course}"
MANAGE = "/courses/manage/{out_course}"


def _out_course(scene) -> str:
    """XXD, "Khóa học Xa Xôi": a draft of unit XX with two lessons, assets and its question bank
    synced (an essay among its questions)."""
    from lms.assessments import bank
    from lms.catalog import queries
    from lms.extensions import db
    from tests.factories import course_tree, import_tree

    scene.value("_outside")
    files = course_tree("XXD", lessons=2, assets=True, title="Khóa học Xa Xôi")
    files["XXD/questions.gift"] = "::XX1::Câu hỏi Xa Xôi?{=Đúng ~Sai}\n".encode()
    import_tree(files, status="draft", owner="XX")
    bank.sync_bank_from_course(queries.course_by_code("XXD"))
    db.session.commit()
    return "XXD"


def _out_lesson(scene) -> int:
    from lms.catalog import queries

    scene.value("out_course")
    return queries.course_by_code("XXD").lessons[0].id


PROVIDERS = {"out_course": _out_course, "out_lesson": _out_lesson}
DENIALS = {
    ("catalog.course_detail", "GET"): Denial("learner", OUT),
    ("catalog.enrol", "POST"): Denial("learner", OUT + "/enrol"),
    ("catalog.lesson", "GET"): Denial("manager", OUT + "/lessons/khai-niem"),
    ("catalog.lesson_done", "POST"): Denial("learner", OUT + "/lessons/khai-niem/done"),
    ("catalog.asset", "GET"): Denial("manager", OUT + "/assets/so-do.png"),
    ("catalog.course_manage", "GET"): Denial("manager", MANAGE),
    ("catalog.course_edit", "GET"): Denial("manager", MANAGE + "/edit"),
    ("catalog.course_edit", "POST"): Denial("manager", MANAGE + "/edit", data={"title": "Đổi"}),
    ("catalog.course_status", "POST"): Denial(
        "manager", MANAGE + "/status", data={"status": "published"}
    ),
    ("catalog.course_export", "GET"): Denial("manager", MANAGE + "/export.zip"),
    ("catalog.lesson_new", "GET"): Denial("manager", MANAGE + "/lessons/new"),
    ("catalog.lesson_new", "POST"): Denial(
        "manager", MANAGE + "/lessons/new", data={"title": "Bài mới", "body": "Nội dung"}
    ),
    ("catalog.lesson_edit", "GET"): Denial("manager", MANAGE + "/lessons/{out_lesson}/edit"),
    ("catalog.lesson_edit", "POST"): Denial(
        "manager", MANAGE + "/lessons/{out_lesson}/edit", data={"title": "Đổi", "body": "Đổi"}
    ),
    ("catalog.lesson_move", "POST"): Denial(
        "manager", MANAGE + "/lessons/{out_lesson}/move", data={"direction": "down"}
    ),
    ("catalog.lesson_remove", "POST"): Denial("manager", MANAGE + "/lessons/{out_lesson}/remove"),
}


# (endpoint, method) → (url, {role: status}): rows of the access matrix
ACCESS = {
    ("catalog.catalog", "GET"): ("/courses/", ANY_USER),
    ("catalog.course_detail", "GET"): ("/courses/{mxe}", ANY_USER),
    ("catalog.enrol", "POST"): ("/courses/{mxe}/enrol", OFFICIALS_POST),
    ("catalog.lesson", "GET"): ("/courses/{mxe}/lessons/mot", AUTHORS),
    ("catalog.lesson_done", "POST"): ("/courses/{mxm}/lessons/mot/done", OFFICIALS_POST),
    ("catalog.asset", "GET"): ("/courses/{mxe}/assets/so-do.png", AUTHORS),
    ("catalog.manage_courses", "GET"): ("/courses/manage/", AUTHORS),
    ("catalog.course_new", "GET"): ("/courses/manage/new", AUTHORS),
    ("catalog.course_new", "POST"): ("/courses/manage/new", AUTHORS),
    ("catalog.course_upload", "GET"): ("/courses/manage/upload", AUTHORS),
    ("catalog.course_upload", "POST"): ("/courses/manage/upload", AUTHORS),
    ("catalog.course_manage", "GET"): ("/courses/manage/{mxe}", AUTHORS),
    ("catalog.course_edit", "GET"): ("/courses/manage/{mxe}/edit", AUTHORS),
    ("catalog.course_edit", "POST"): ("/courses/manage/{mxe}/edit", AUTHORS),
    ("catalog.course_status", "POST"): ("/courses/manage/{mxe}/status", AUTHORS_POST),
    ("catalog.course_export", "GET"): ("/courses/manage/{mxe}/export.zip", AUTHORS),
    ("catalog.lesson_new", "GET"): ("/courses/manage/{mxe}/lessons/new", AUTHORS),
    ("catalog.lesson_new", "POST"): ("/courses/manage/{mxe}/lessons/new", AUTHORS),
    ("catalog.lesson_edit", "GET"): ("/courses/manage/{mxe}/lessons/{mxe_lesson}/edit", AUTHORS),
    ("catalog.lesson_edit", "POST"): (
        "/courses/manage/{mxe}/lessons/{mxe_lesson}/edit",
        AUTHORS_POST,
    ),
    ("catalog.lesson_move", "POST"): (
        "/courses/manage/{mxe}/lessons/{mxe_lesson}/move",
        AUTHORS_POST,
    ),
    ("catalog.lesson_remove", "POST"): (
        "/courses/manage/{mxe}/lessons/{mxe_lesson}/remove",
        AUTHORS_POST,
    ),
}
