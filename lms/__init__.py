"""Tín chỉ: credit-based training of Vietnamese officials. `create_app` builds the application."""

import importlib
import importlib.util
import os

from flask import Flask

from config import CONFIGS, INSTANCE_DIR
from lms.domains import DOMAINS, domain_modules


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the app: config → validate → extensions → blueprints → errors → CLI.

    `config_name` is development, testing or production (default: $LMS_ENV or development);
    `overrides` are applied last (tests use them).
    """
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="static",
        instance_path=str(INSTANCE_DIR),
    )
    name = config_name or os.environ.get("LMS_ENV", "development")
    config_class = CONFIGS[name]
    app.config.from_object(config_class)
    if os.environ.get("SECRET_KEY"):  # read at start-up, so a key set after import still counts
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config.update(overrides or {})
    if hasattr(config_class, "validate"):
        config_class.validate(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)
    _register_errors(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from lms import models  # noqa: F401  (every model registered before migrations look)
    from lms.common.dbpool import install_idle_ping
    from lms.extensions import babel, csrf, db, limiter, login_manager, migrate
    from lms.i18n import _l, select_locale
    from lms.security import install_input_guard, install_security
    from lms.web import install_template_helpers

    db.init_app(app)
    with app.app_context():
        install_idle_ping(db.engine, app.config["LMS_DB_PING_IDLE_SECONDS"])
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    install_input_guard(app)  # before the CSRF check, which reads the body
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.localize_callback = str  # the lazy string is translated per request
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"  # "strong" logs out phones whose IP changes
    install_template_helpers(app)
    install_security(app)


def _register_blueprints(app: Flask) -> None:
    """A domain with `blueprint.py` (the convention of issue 19): its route modules are imported,
    then `lms.<domain>.blueprint.bp` registered; otherwise the package's own `bp`."""
    for name, prefix in DOMAINS.items():
        if importlib.util.find_spec(f"lms.{name}.blueprint"):
            for module in domain_modules(name, "routes"):
                importlib.import_module(module)
            bp = importlib.import_module(f"lms.{name}.blueprint").bp
        else:
            bp = importlib.import_module(f"lms.{name}").bp
        app.register_blueprint(bp, url_prefix=prefix)


def _register_errors(app: Flask) -> None:
    from lms.errors import register_csrf_handler, register_error_handlers

    register_error_handlers(app)
    register_csrf_handler(app)


def _register_cli(app: Flask) -> None:
    from lms.translate_cli import translate_cli

    app.cli.add_command(translate_cli)
    for name in ("demo", *DOMAINS):
        for module in domain_modules(name, "cli"):
            for group in importlib.import_module(module).COMMANDS:
                app.cli.add_command(group)
