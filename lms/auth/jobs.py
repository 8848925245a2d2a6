"""The auth module's background job (found by lms.jobs.registry.load_all):
`auth.activation_mail` emails the activation links of a provisioning run to the officials who
have an address, then sends the mail. Safe to run twice: one notification per link."""

from lms.auth import activation
from lms.extensions import db
from lms.i18n import _, _l
from lms.jobs import job


@job("auth.activation_mail", label=_l("Email activation links"))
def activation_mail(ctx, run_id: int) -> dict:
    """Write the activation emails of provisioning run `run_id` and send them."""
    from lms.jobs import mailer

    count = activation.notify_links(
        run_id, lambda done, total: ctx.progress(done, total, _("Writing activation emails"))
    )
    db.session.commit()
    sent = mailer.deliver_pending(lambda n: ctx.progress(n, count, _("Sending email")))
    return {"officials": count, "mail": sent}
