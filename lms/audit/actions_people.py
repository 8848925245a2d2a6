"""The words of the audit actions on people: accounts and sign-in, the officials registry,
personal data and its reads, officials' accounts (registered by lms.audit.actions)."""

from lms.i18n import _l

# (code, object type, label, sentence): see lms.audit.actions
PEOPLE = [
    # Accounts and sign-in
    ("user.created", "user", _l("Account created"), _l("%(actor)s created account %(object)s")),
    (
        "user.enabled",
        "user",
        _l("Account enabled"),
        _l("%(actor)s enabled account %(object)s"),
    ),
    (
        "user.disabled",
        "user",
        _l("Account disabled"),
        _l("%(actor)s disabled account %(object)s"),
    ),
    (
        "user.password_changed",
        "user",
        _l("Password changed"),
        _l("%(actor)s changed the password of account %(object)s"),
    ),
    (
        "user.password_reset",
        "user",
        _l("Temporary password set"),
        _l("%(actor)s set a temporary password for account %(object)s"),
    ),
    (
        "user.2fa_enabled",
        "user",
        _l("Two-factor authentication turned on"),
        _l("%(actor)s turned on two-factor authentication for account %(object)s"),
    ),
    (
        "user.2fa_reset",
        "user",
        _l("Two-factor authentication reset"),
        _l("%(actor)s reset the two-factor authentication of account %(object)s"),
    ),
    (
        "user.2fa_recovery_code_used",
        "user",
        _l("Recovery code used"),
        _l("%(actor)s logged in with a recovery code (account %(object)s)"),
    ),
    (
        "login.locked",
        "user",
        _l("Sign-in locked"),
        _l("Account %(object)s was locked after too many failed logins"),
    ),
    (
        "login.device_locked",
        "user",
        _l("Browser locked out"),
        _l("A browser was locked out of account %(object)s after too many failed logins"),
    ),
    (
        "login.address_locked",
        "address",
        _l("Address locked out"),
        _l("Sign-in from address %(object)s was locked after too many failed logins"),
    ),
    (
        "user.2fa_failed",
        "user",
        _l("Wrong two-factor code"),
        _l("A wrong two-factor code was entered for account %(object)s"),
    ),
    (
        "user.2fa_locked",
        "user",
        _l("Two-factor sign-in locked"),
        _l("Two-factor sign-in to account %(object)s was locked after too many wrong codes"),
    ),
    (
        "role.granted",
        "user",
        _l("Role granted"),
        _l("%(actor)s granted a role to account %(object)s"),
    ),
    (
        "role.revoked",
        "user",
        _l("Role removed"),
        _l("%(actor)s removed a role from account %(object)s"),
    ),
    (
        "api_token.created",
        "user",
        _l("API token created"),
        _l("%(actor)s created an API token for account %(object)s"),
    ),
    (
        "api_token.revoked",
        "user",
        _l("API token revoked"),
        _l("%(actor)s revoked an API token of account %(object)s"),
    ),
    # The officials registry
    (
        "official.created",
        "official",
        _l("Official created"),
        _l("%(actor)s created the record of official %(object)s"),
    ),
    (
        "official.imported",
        "official",
        _l("Official imported"),
        _l("%(actor)s imported the record of official %(object)s"),
    ),
    (
        "official.updated",
        "official",
        _l("Official updated"),
        _l("%(actor)s updated the record of official %(object)s"),
    ),
    (
        "official.viewed",
        "official",
        _l("Official's record viewed"),
        _l("%(actor)s viewed the record of official %(object)s"),
    ),
    (
        "official.position_changed",
        "official",
        _l("Position changed"),
        _l("%(actor)s recorded a change of post for official %(object)s"),
    ),
    (
        "official.concurrent_added",
        "official",
        _l("Concurrent post added"),
        _l("%(actor)s added a concurrent post for official %(object)s"),
    ),
    (
        "official.assignment_ended",
        "official",
        _l("Post ended"),
        _l("%(actor)s ended a post of official %(object)s"),
    ),
    (
        "official.marked_left",
        "official",
        _l("Official marked as left"),
        _l("%(actor)s marked official %(object)s as having left"),
    ),
    (
        "officials.exported",
        "registry",
        _l("Officials exported"),
        _l("%(actor)s exported the officials registry"),
    ),
    # Personal data (lms/privacy)
    (
        "privacy.notice_acknowledged",
        "user",
        _l("Privacy notice acknowledged"),
        _l("%(actor)s acknowledged the privacy notice (account %(object)s)"),
    ),
    (
        "retention.applied",
        "retention",
        _l("Retention period applied"),
        _l("%(actor)s applied the retention period of %(object)s"),
    ),
    (
        "privacy_request.received",
        "privacy_request",
        _l("Personal data request received"),
        _l("%(actor)s made personal data request no. %(object)s"),
    ),
    (
        "privacy_request.started",
        "privacy_request",
        _l("Personal data request in progress"),
        _l("%(actor)s took personal data request no. %(object)s in hand"),
    ),
    (
        "privacy_request.done",
        "privacy_request",
        _l("Personal data request done"),
        _l("%(actor)s closed personal data request no. %(object)s as done"),
    ),
    (
        "privacy_request.refused",
        "privacy_request",
        _l("Personal data request refused"),
        _l("%(actor)s refused personal data request no. %(object)s"),
    ),
    # Reads of personal data (lms/audit/reads.py): one entry per request, whatever it held
    (
        "statement.viewed",
        "official",
        _l("Training statement read"),
        _l("%(actor)s read the training statement of official %(object)s"),
    ),
    (
        "ledger.viewed",
        "official",
        _l("Credit ledger read"),
        _l("%(actor)s read the credit ledger of official %(object)s"),
    ),
    (
        "certificate.viewed",
        "official",
        _l("Certificate read"),
        _l("%(actor)s read a certificate of official %(object)s"),
    ),
    (
        "transcript.viewed",
        "official",
        _l("Transcript read"),
        _l("%(actor)s read a transcript of official %(object)s"),
    ),
    (
        "evidence.downloaded",
        "official",
        _l("Evidence file downloaded"),
        _l("%(actor)s downloaded an external-training evidence file of official %(object)s"),
    ),
    (
        "officials.listed",
        "registry",
        _l("Officials listed through the API"),
        _l("%(actor)s read a page of the officials registry through the API"),
    ),
    (
        "statements.printed",
        "unit",
        _l("Unit's statements printed"),
        _l("%(actor)s printed the training statements of unit %(object)s"),
    ),
    (
        "certificates.bulk_downloaded",
        "registry",
        _l("Certificates downloaded in bulk"),
        _l("%(actor)s downloaded certificates of several officials in one archive"),
    ),
    # Accounts for officials (lms/organisation/accounts.py, lms/auth/activation.py)
    (
        "accounts.provisioned",
        "provisioning_run",
        _l("Accounts created for officials"),
        _l("%(actor)s created accounts for officials (run %(object)s)"),
    ),
    (
        "user.activation_reissued",
        "user",
        _l("Activation link re-issued"),
        _l("%(actor)s issued a new activation link for account %(object)s"),
    ),
    (
        "user.activated",
        "user",
        _l("Account activated"),
        _l("%(actor)s activated account %(object)s with its activation link"),
    ),
    (
        "accounts.links_exported",
        "unit",
        _l("Activation links downloaded"),
        _l("%(actor)s downloaded the activation links of officials (unit %(object)s)"),
    ),
    (
        "accounts.letters_printed",
        "unit",
        _l("Activation letters printed"),
        _l("%(actor)s downloaded the activation letters of officials (unit %(object)s)"),
    ),
    ("unit.updated", "unit", _l("Org unit updated"), _l("%(actor)s updated org unit %(object)s")),
    (
        "position.updated",
        "position",
        _l("Job position updated"),
        _l("%(actor)s updated job position %(object)s"),
    ),
    ("rank.updated", "rank", _l("Rank updated"), _l("%(actor)s updated rank %(object)s")),
]
