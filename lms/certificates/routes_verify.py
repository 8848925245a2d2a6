"""The public check of a PDF file (/verify, issue 27): upload a certificate, transcript or
statement PDF and learn whether its signature is intact and ours, who signed it and when, and,
for a certificate, what our records say (holder, course, revoked or not). The answer is shown
on the page that received the file, not after a redirect: the file is never stored, so there
is nothing to redirect to. Rate-limited with the code look-ups (LMS_VERIFY_RATE_LIMIT)."""

from flask import current_app, render_template

from lms.certificates import verify_file
from lms.certificates.blueprint import bp
from lms.certificates.forms import VerifyFileForm
from lms.certificates.routes import _verify_limit
from lms.common.forms import too_large_message, upload_page
from lms.common.web import client_address
from lms.extensions import db, limiter
from lms.i18n import _
from lms.signing.verify import PDF_MAGIC


@bp.route("/verify", methods=["GET", "POST"])
@limiter.shared_limit(_verify_limit, scope="certificate-verify", methods=["POST"])
@upload_page("LMS_VERIFY_FILE_MAX_BYTES")
def verify_upload():
    """The upload form; on a valid POST the file's answer (200), a refused file (too large:
    413; not a PDF or none: 422) shown at the form's field."""
    form = VerifyFileForm()
    answer, status = None, 200
    if form.validate_on_submit():
        limit = current_app.config["LMS_VERIFY_FILE_MAX_BYTES"]
        upload = form.document.data
        try:
            data = upload.read(limit + 1)
        finally:
            upload.close()  # a large upload is spooled to a temporary file: let it go now
        if len(data) > limit:
            form.document.errors = [too_large_message(limit)]
            status = 413
        elif not data.lstrip()[:5].startswith(PDF_MAGIC):
            form.document.errors = [_("This file is not a PDF: only PDF files can be checked.")]
            status = 422
        else:
            answer = verify_file.check_file(data, "file", client_address())
            db.session.commit()
    elif form.is_submitted():
        status = 422
    shown = {}
    if answer is not None:
        shown = {
            "answer_state_lines": verify_file.signature_lines(answer.check),
            "answer_moment": verify_file.signing_moment(answer.check),
        }
    page = render_template("certificates/verify_file.html", form=form, answer=answer, **shown)
    return page, status
