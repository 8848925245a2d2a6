"""The data a route's URL names, made on demand for one test: `Scene.url("/x/{name}")` calls the
provider of `name` once per test (providers of the core domains here, of the others in their
modules of tests/web/routes)."""

import string


class Scene:
    """The world of a test plus, on demand, the data a URL template names."""

    def __init__(self, app, world, tmp_path, monkeypatch):
        self.app, self.world, self.tmp_path = app, world, tmp_path
        # Imports and course assets go to throw-away folders; imports are checked inline.
        monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
        monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
        monkeypatch.setitem(app.config, "LMS_IMPORT_INLINE_ROWS", 10**9)
        self._values: dict[str, object] = {}

    def value(self, name: str):
        if name not in self._values:
            self._values[name] = _providers()[name](self)
        return self._values[name]

    def url(self, template: str) -> str:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}
        url = template.format(**{name: self.value(name) for name in names})
        from lms.extensions import db

        db.session.commit()  # no transaction of the test stays open while requests run
        return url


def _concurrent_post(_scene) -> int:
    """A concurrent post of the manager's official, for assignment_end."""
    from datetime import date

    from lms.extensions import db
    from lms.organisation import services as org
    from lms.organisation.models import Official

    official = db.session.scalar(db.select(Official).where(Official.employee_code == "T-MAN"))
    post = org.add_concurrent(official, org.AssignmentData("SNV", "LD-TP", date(2024, 1, 1)), None)
    db.session.commit()
    return post.id


def _catalog(scene) -> int:
    """MXE (published elective, with assets) and MXM (mandatory for CM-CCVC, the learner's
    position), both owned by DN; returns the id of MXE's first lesson, slug "mot"."""
    from lms.catalog.models import Lesson
    from lms.extensions import db
    from tests.factories import course_tree, import_tree

    files = course_tree("MXE", lessons=2, assets=True)
    files |= course_tree("MXM", lessons=2, kind="by_position", positions=("CM-CCVC",))
    import_tree({path.replace("khai-niem", "mot"): data for path, data in files.items()})
    return db.session.scalar(db.select(Lesson.id).where(Lesson.slug == "mot").order_by(Lesson.id))


def _import_token(scene) -> str:
    """A checked import job of the administrator (one valid row, one row in error)."""
    from lms.organisation import import_jobs
    from tests.services.test_organisation_officials_import import person, to_xlsx

    data = to_xlsx([person(1), person(2, born="31/02/2025")])
    token = import_jobs.create(scene.world["admin"].id, "f.xlsx", data, 2, False)
    import_jobs.check(import_jobs.job_dir(token), None)
    return token


def _reviewer_2fa(scene) -> bool:
    """The reviewer enrols in 2FA, so their login stops at /auth/2fa."""
    import pyotp

    from lms.auth import twofactor
    from lms.extensions import db

    secret = pyotp.random_base32()
    twofactor.enable(scene.world["reviewer"], secret, pyotp.TOTP(secret).now())
    db.session.commit()
    return True


# Everything the denial rows ask for lies outside the caller's scope and carries one of these
# words, so a denial's answer can be searched for them (tests/web/test_access_denials.py).
FOREIGN_MARKERS = ("Xa Xôi", "Ngoài Phạm Vi")


def _outside(_scene) -> int:
    """Unit XX, a province outside every grant of the test world (hr and manager cover DN, the
    reviewer SNV), and its official T-OUT ("Lê Ngoài Phạm Vi", no account); returns T-OUT's id."""
    from lms.extensions import db
    from lms.organisation import services as org
    from tests.conftest import make_official

    org.upsert_unit("XX", "Ủy ban nhân dân tỉnh Xa Xôi", "UBND", "tinh", None)
    db.session.flush()
    official = make_official("T-OUT", "Lê Ngoài Phạm Vi", unit="XX")
    db.session.commit()
    return official.id


def official_id(code: str) -> int:
    from lms.extensions import db
    from lms.organisation.models import Official

    return db.session.scalar(db.select(Official.id).where(Official.employee_code == code))


CORE_PROVIDERS = {
    "_outside": _outside,
    "out_code": lambda s: s.value("_outside") and "T-OUT",
    "out_unit": lambda s: s.value("_outside") and "XX",
    "learner_id": lambda s: s.world["learner"].id,
    "hr_id": lambda s: s.world["hr"].id,
    "hr_grant_id": lambda s: s.world["hr"].grants[0].id,
    "man_concurrent_id": _concurrent_post,
    "mxe_lesson": lambda s: s.value("_catalog"),
    "mxe": lambda s: s.value("_catalog") and "MXE",
    "mxm": lambda s: s.value("_catalog") and "MXM",
    "_catalog": _catalog,
    "import_token": _import_token,
    "_reviewer_2fa": _reviewer_2fa,
}


def _providers() -> dict:
    from tests.web.routes import PROVIDERS

    return PROVIDERS
