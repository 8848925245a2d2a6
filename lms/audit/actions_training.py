"""The words of the audit actions on training: courses, question banks and tests, credits
(classes, external training, completions, the ledger, curricula, cycles), certificates and
stored files (registered by lms.audit.actions)."""

from lms.i18n import _l

# (code, object type, label, sentence): see lms.audit.actions
TRAINING = [
    # Courses, question banks and tests
    ("course.created", "course", _l("Course created"), _l("%(actor)s created course %(object)s")),
    ("course.updated", "course", _l("Course updated"), _l("%(actor)s updated course %(object)s")),
    (
        "course.imported",
        "course",
        _l("Course imported"),
        _l("%(actor)s imported course %(object)s from its files"),
    ),
    (
        "course.status_changed",
        "course",
        _l("Course status changed"),
        _l("%(actor)s changed the status of course %(object)s"),
    ),
    (
        "questions.import",
        "course",
        _l("Questions imported"),
        _l("%(actor)s imported questions into the bank of course no. %(object)s"),
    ),
    (
        "question.edit",
        "bank_question",
        _l("Question edited"),
        _l("%(actor)s edited bank question no. %(object)s"),
    ),
    (
        "question.move",
        "bank_question",
        _l("Question moved"),
        _l("%(actor)s moved bank question no. %(object)s to another category"),
    ),
    (
        "question.retire",
        "bank_question",
        _l("Question removed"),
        _l("%(actor)s removed bank question no. %(object)s"),
    ),
    (
        "quiz.save",
        "quiz",
        _l("Test settings saved"),
        _l("%(actor)s saved the settings of test no. %(object)s"),
    ),
    (
        "quiz.extra_time",
        "quiz",
        _l("Extra time given"),
        _l("%(actor)s gave an official extra time on test no. %(object)s"),
    ),
    (
        "quiz.override",
        "quiz",
        _l("Test override given"),
        _l(
            "%(actor)s changed an official's override (extra time, attempts, close) on test "
            "no. %(object)s"
        ),
    ),
    (
        "attempt.grade",
        "attempt_slot",
        _l("Answer graded"),
        _l("%(actor)s graded answer no. %(object)s"),
    ),
    (
        "attempt.regrade",
        "attempt",
        _l("Attempt regraded"),
        _l("%(actor)s regraded test attempt no. %(object)s"),
    ),
    # Credits: classes, external training, completions, the ledger, curricula and cycles
    (
        "class.created",
        "training_class",
        _l("Class created"),
        _l("%(actor)s created in-person class no. %(object)s"),
    ),
    (
        "class.updated",
        "training_class",
        _l("Class updated"),
        _l("%(actor)s updated in-person class no. %(object)s"),
    ),
    (
        "class.roster_added",
        "training_class",
        _l("Officials added to a class"),
        _l("%(actor)s added officials to the roster of class no. %(object)s"),
    ),
    (
        "class.roster_removed",
        "training_class",
        _l("Official removed from a class"),
        _l("%(actor)s removed an official from the roster of class no. %(object)s"),
    ),
    (
        "class.result_recorded",
        "class_member",
        _l("Class result recorded"),
        _l("%(actor)s recorded the class result of member no. %(object)s"),
    ),
    # In-person classes: joining, the timetable, attendance (issue 24)
    *[
        (code, "training_class", label, sentence)
        for code, label, sentence in (
            (
                "class.enrolled",
                _l("Official enrolled in a class"),
                _l("%(actor)s gave an official a place in class no. %(object)s"),
            ),
            (
                "class.waitlisted",
                _l("Official put on a class's waiting list"),
                _l("%(actor)s put an official on the waiting list of class no. %(object)s"),
            ),
            (
                "class.promoted",
                _l("Official promoted from a class's waiting list"),
                _l("%(actor)s promoted an official from the waiting list of class no. %(object)s"),
            ),
            (
                "class.cancelled",
                _l("Class place cancelled"),
                _l("%(actor)s cancelled an official's place in class no. %(object)s"),
            ),
            (
                "class.session_saved",
                _l("Class session saved"),
                _l("%(actor)s saved a session of class no. %(object)s"),
            ),
            (
                "class.session_removed",
                _l("Class session removed"),
                _l("%(actor)s removed a session of class no. %(object)s"),
            ),
            (
                "class.attendance_recorded",
                _l("Class attendance recorded"),
                _l("%(actor)s recorded attendance in class no. %(object)s"),
            ),
        )
    ],
    (
        "class_trainer.created",
        "trainer",
        _l("Trainer added"),
        _l("%(actor)s added trainer no. %(object)s"),
    ),
    (
        "class_trainer.updated",
        "trainer",
        _l("Trainer updated"),
        _l("%(actor)s updated trainer no. %(object)s"),
    ),
    (
        "class_venue.created",
        "venue",
        _l("Venue added"),
        _l("%(actor)s added venue no. %(object)s"),
    ),
    (
        "class_venue.updated",
        "venue",
        _l("Venue updated"),
        _l("%(actor)s updated venue no. %(object)s"),
    ),
    (
        "external.submitted",
        "external_record",
        _l("External training submitted"),
        _l("%(actor)s submitted external training no. %(object)s"),
    ),
    (
        "external.approved",
        "external_record",
        _l("External training approved"),
        _l("%(actor)s approved external training no. %(object)s"),
    ),
    (
        "external.rejected",
        "external_record",
        _l("External training rejected"),
        _l("%(actor)s rejected external training no. %(object)s"),
    ),
    (
        "completion.revoked",
        "completion",
        _l("Completion withdrawn"),
        _l("%(actor)s withdrew course completion no. %(object)s"),
    ),
    (
        "completions.imported",
        "completions",
        _l("Completions imported"),
        _l("%(actor)s imported historical course completions"),
    ),
    (
        "ledger.append",
        "ledger_entry",
        _l("Ledger entry added"),
        _l("%(actor)s added entry no. %(object)s to a credit ledger"),
    ),
    (
        "ledger.reverse",
        "ledger_entry",
        _l("Ledger entry reversed"),
        _l("%(actor)s wrote reversing entry no. %(object)s in a credit ledger"),
    ),
    (
        "ledger.rekeyed",
        "ledger",
        _l("Ledger re-hashed under its key"),
        _l("%(actor)s re-hashed the %(object)s under the ledger key"),
    ),
    (
        "ledger.imported",
        "official",
        _l("Training record imported"),
        _l("%(actor)s imported a signed training record into the ledger of official %(object)s"),
    ),
    (
        "ledger.own_override",
        "official",
        _l("Own record credited by override"),
        _l("%(actor)s overrode the separation of duties to write on their own record %(object)s"),
    ),
    (
        "api.ledger_added",
        "official",
        _l("Ledger entry added through the API"),
        _l(
            "%(actor)s added external training to the ledger of official %(object)s through the API"
        ),
    ),
    (
        "curriculum.saved",
        "curriculum",
        _l("Curriculum saved"),
        _l("%(actor)s saved the curriculum of %(object)s"),
    ),
    (
        "curriculum.removed",
        "curriculum",
        _l("Curriculum removed"),
        _l("%(actor)s removed the curriculum of %(object)s"),
    ),
    (
        "cycle.saved",
        "cycle",
        _l("Cycle rules saved"),
        _l("%(actor)s saved the rules of training cycle %(object)s"),
    ),
    ("cycle.close", "cycle", _l("Cycle closed"), _l("%(actor)s closed training cycle %(object)s")),
    (
        "cycle.review",
        "cycle",
        _l("Review statements frozen"),
        _l("%(actor)s froze the review statements of training cycle %(object)s"),
    ),
    (
        "rating.recorded",
        "official",
        _l("Annual rating recorded"),
        _l("%(actor)s recorded the annual rating of official %(object)s"),
    ),
    (
        "rating.applied",
        "cycle",
        _l("Rating obligations assigned"),
        _l("%(actor)s assigned the courses that follow the annual ratings in cycle %(object)s"),
    ),
    (
        "cycle.reopen",
        "cycle",
        _l("Cycle reopened"),
        _l("%(actor)s reopened training cycle %(object)s"),
    ),
    (
        "compliance.exported",
        "cycle",
        _l("Compliance list exported"),
        _l("%(actor)s exported the compliance list of training cycle %(object)s"),
    ),
    # Certificates
    (
        "certificate.issued",
        "certificate",
        _l("Certificate issued"),
        _l("%(actor)s issued certificate %(object)s"),
    ),
    (
        "certificate.reissued",
        "certificate",
        _l("Certificate reissued"),
        _l("%(actor)s reissued a certificate as %(object)s"),
    ),
    (
        "certificate.revoked",
        "certificate",
        _l("Certificate revoked"),
        _l("%(actor)s revoked certificate %(object)s"),
    ),
    # Files the application keeps (lms.jobs.retention): the object is the day of the deletion
    (
        "files.expired_removed",
        "files",
        _l("Expired files deleted"),
        _l("%(actor)s deleted the uploads and bulk downloads past their retention (%(object)s)"),
    ),
    # Programmes (lms.programmes): the object is the programme's code or the chứng chỉ's serial
    (
        "programme.imported",
        "programme",
        _l("Programme imported"),
        _l("%(actor)s imported programme %(object)s from its file"),
    ),
    (
        "programme_certificate.issued",
        "programme_certificate",
        _l("Programme certificate issued"),
        _l("%(actor)s issued programme certificate %(object)s"),
    ),
    (
        "programme_certificate.imported",
        "programme_certificate",
        _l("Historical programme certificate imported"),
        _l("%(actor)s imported the historical programme certificate %(object)s"),
    ),
    (
        "programme_certificate.revoked",
        "programme_certificate",
        _l("Programme certificate revoked"),
        _l("%(actor)s revoked programme certificate %(object)s"),
    ),
    (
        "programme.required",
        "programme",
        _l("Programme required of a position"),
        _l("%(actor)s made programme %(object)s required of a job position"),
    ),
    (
        "programme.unrequired",
        "programme",
        _l("Programme no longer required of a position"),
        _l("%(actor)s removed programme %(object)s from a job position's requirements"),
    ),
]
