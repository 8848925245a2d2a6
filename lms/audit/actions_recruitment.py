"""The words of the audit actions of recruitment exams: recruitments, candidates, exam sessions,
incidents and the results log (registered by lms.audit.actions). The `marking` part of
lms.recruitment adds its actions to this list."""

from lms.audit.actions_marking import MARKING
from lms.i18n import _l

# (code, object type, label, sentence): see lms.audit.actions
RECRUITMENT = [
    (
        "recruitment.created",
        "recruitment",
        _l("Recruitment created"),
        _l("%(actor)s created recruitment %(object)s"),
    ),
    (
        "recruitment.changed",
        "recruitment",
        _l("Recruitment changed"),
        _l("%(actor)s changed recruitment %(object)s"),
    ),
    (
        "recruitment.candidates_imported",
        "recruitment",
        _l("Candidates imported"),
        _l("%(actor)s imported candidates into recruitment %(object)s"),
    ),
    (
        "recruitment.candidate_registered",
        "candidate",
        _l("Candidate registered"),
        _l("%(actor)s registered candidate %(object)s"),
    ),
    (
        "recruitment.session_changed",
        "exam_session",
        _l("Exam session changed"),
        _l("%(actor)s changed exam session %(object)s"),
    ),
    (
        "recruitment.position_added",
        "recruitment",
        _l("Recruitment position added"),
        _l("%(actor)s added a position to recruitment %(object)s"),
    ),
    (
        "recruitment.position_changed",
        "recruitment",
        _l("Recruitment position changed"),
        _l("%(actor)s changed a position of recruitment %(object)s"),
    ),
    (
        "recruitment.position_removed",
        "recruitment",
        _l("Recruitment position removed"),
        _l("%(actor)s removed a position of recruitment %(object)s"),
    ),
    (
        "recruitment.room_added",
        "recruitment",
        _l("Exam room added"),
        _l("%(actor)s added an exam room to recruitment %(object)s"),
    ),
    (
        "recruitment.room_changed",
        "recruitment",
        _l("Exam room changed"),
        _l("%(actor)s changed an exam room of recruitment %(object)s"),
    ),
    (
        "recruitment.room_removed",
        "recruitment",
        _l("Exam room removed"),
        _l("%(actor)s removed an exam room of recruitment %(object)s"),
    ),
    (
        "recruitment.session_created",
        "exam_session",
        _l("Exam session created"),
        _l("%(actor)s created exam session %(object)s"),
    ),
    (
        "recruitment.session_removed",
        "exam_session",
        _l("Exam session removed"),
        _l("%(actor)s removed exam session %(object)s"),
    ),
    (
        "recruitment.invigilator_added",
        "exam_session",
        _l("Invigilator named"),
        _l("%(actor)s named an invigilator of exam session %(object)s"),
    ),
    (
        "recruitment.invigilator_removed",
        "exam_session",
        _l("Invigilator taken off"),
        _l("%(actor)s took an invigilator off exam session %(object)s"),
    ),
    (
        "recruitment.exam_started",
        "candidate",
        _l("Exam paper started"),
        _l("%(actor)s started the exam paper of candidate %(object)s"),
    ),
    (
        "recruitment.exam_submitted",
        "candidate",
        _l("Exam paper submitted"),
        _l("%(actor)s submitted the exam paper of candidate %(object)s"),
    ),
    (
        "recruitment.incident_recorded",
        "exam_session",
        _l("Exam incident recorded"),
        _l("%(actor)s recorded an incident in exam session %(object)s"),
    ),
    (
        "recruitment.result_logged",
        "candidate",
        _l("Result written to the results log"),
        _l("%(actor)s wrote a result of candidate %(object)s to the results log"),
    ),
]

# The marking, results and appeals (lms.recruitment.marking).
RECRUITMENT += MARKING
