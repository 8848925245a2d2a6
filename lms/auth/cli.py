"""The `flask --app lms users …` command group. Its commands live with what they act on:
API tokens in lms/api/cli.py, `users provision` (accounts for officials) in
lms/organisation/cli.py; each adds itself to this group."""

from flask.cli import AppGroup

users_cli = AppGroup("users", help="Accounts: accounts for officials, API tokens.")

COMMANDS = (users_cli,)
