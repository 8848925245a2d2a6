"""`flask --app lms users create-token USERNAME`: API tokens from the shell (printed once)."""

import click
from sqlalchemy import select

from lms.api import tokens
from lms.api.models import ApiToken
from lms.api.pages import end_of_day
from lms.auth.cli import users_cli
from lms.auth.models import User
from lms.errors import LMSError, ValidationFailed
from lms.extensions import db


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"No account is called {username!r}.")
    return user


@users_cli.command("create-token")
@click.argument("username")
@click.option("--name", default="CLI", show_default=True, help="What will use the token.")
@click.option(
    "--expires-on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last day the token works (YYYY-MM-DD, Vietnam time); default: no expiry.",
)
def create_token(username: str, name: str, expires_on) -> None:
    """Make an API token for USERNAME and print it (it is shown only this once)."""
    user = _user(username)
    expires_at = end_of_day(expires_on.date()) if expires_on else None
    try:
        created = tokens.create_token(user, name, actor=None, expires_at=expires_at)
    except ValidationFailed as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        f"Token {created.token.id} for {user.username} ({created.token.name}); "
        "store it now, it is not shown again:",
        err=True,
    )
    click.echo(created.secret)


@users_cli.command("list-tokens")
@click.argument("username")
def list_tokens(username: str) -> None:
    """List USERNAME's tokens (never the tokens themselves)."""
    for token in tokens.tokens_of(_user(username).id):
        state = "revoked" if token.revoked_at else "active"
        if token.revoked_by_password_change:
            state = "revoked (password changed)"
        expires = token.expires_at.isoformat(" ", "minutes") if token.expires_at else "never"
        used = token.last_used_at.isoformat(" ", "minutes") if token.last_used_at else "never"
        click.echo(
            f"{token.id}\t{token.hint}…\t{state}\texpires {expires}\tused {used}\t{token.name}"
        )


@users_cli.command("revoke-token")
@click.argument("token_id", type=int)
def revoke_token(token_id: int) -> None:
    """Revoke the token with this id (see list-tokens)."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"No token has the id {token_id}.")
    try:
        tokens.revoke_token(token, actor=None)
    except LMSError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Token {token_id} revoked.")


COMMANDS = (users_cli,)
