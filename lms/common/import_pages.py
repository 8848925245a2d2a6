"""The four web pages of an import on the common flow (lms.common.import_flow), added to a
blueprint from one description, ImportPages: upload, preview with its confirm button, the check
report download and the empty template download. The officials, leave and completions imports
are each an ImportPages; what differs between them is data, the flow is the same."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, request
from flask_login import current_user, login_required

from lms.common import exporter
from lms.common.forms import upload_page
from lms.common.import_flow import ImportFlow


@dataclass(frozen=True)
class ImportPages:
    """One import's pages: `url` (`/…`, `/…/<token>`, `/…/<token>/report.<fmt>`,
    `/…/template.<fmt>`) with the endpoints `<name>_upload`, `_preview`, `_report` and
    `_template`. Every page needs `may_import(user)` (else 403); an upload is its uploader's
    only (else 404). `scope()` gives the viewer's unit paths (None: all) for the flow.

    - `upload`: (form class, template) of the upload page; `upload_options(form)`, what the
      upload's meta keeps of the form;
    - `preview`: (form class, template) of the preview page; `confirm_params(form)`, what the
      confirm button's form asks of the import; `blocking`: rows with errors stop the whole
      import (else the form may ask for the valid rows only);
    - `done(result)`: the sentence flashed after an import done inline;
    - `report`: (file stem, title) of the check report download;
    - `template`: (rows(), file stem, sheet, title) of the empty template download, `rows()`
      giving (header, example rows).
    """

    flow: ImportFlow
    name: str
    url: str
    may_import: Callable
    scope: Callable
    upload: tuple
    preview: tuple
    done: Callable
    blocking: bool
    report: tuple
    template: tuple
    upload_options: Callable | None = None
    confirm_params: Callable | None = None

    def add_to(self, bp) -> "ImportPages":
        """Add the four pages to the blueprint `bp` (each behind login_required); returns self."""
        pages = (
            ("", "upload", self.upload_page, ["GET", "POST"]),
            ("/<token>", "preview", self.preview_page, ["GET", "POST"]),
            ("/<token>/report.<fmt>", "report", self.report_download, ["GET"]),
            ("/template.<fmt>", "template", self.template_download, ["GET"]),
        )
        for path, page, method, methods in pages:
            view = _view(method, f"{self.name}_{page}")
            if page == "upload":
                view = upload_page("LMS_IMPORT_MAX_BYTES")(view)
            bp.add_url_rule(self.url + path, view.__name__, login_required(view), methods=methods)
        return self

    def _allowed(self) -> None:
        if not self.may_import(current_user):
            abort(403)

    def _job(self):
        """The current user's upload named in the URL, or 404."""
        self._allowed()
        return self.flow.owned(request.view_args["token"], current_user.id) or abort(404)

    def upload_page(self):
        """Upload a file; it is checked (dry run) before anything is written."""
        self._allowed()
        form_class, template = self.upload
        form = form_class()
        options = self.upload_options(form) if self.upload_options else None
        return self.flow.upload_view(
            form, template, f".{self.name}_preview", current_user, self.scope(), options=options
        )

    def preview_page(self, token: str):
        """The checked file: counts, the per-row report, and the confirm button."""
        form_class, template = self.preview
        form = form_class()
        params = (lambda: self.confirm_params(form)) if self.confirm_params else None
        return self.flow.preview_view(
            self._job(),
            form,
            template,
            current_user,
            self.scope(),
            self.done,
            blocking=self.blocking,
            params=params,
        )

    def report_download(self, token: str, fmt: str):
        """The per-row report of a checked file, as CSV or XLSX (cells escaped against
        formulas)."""
        stem, title = self.report
        return self.flow.report_download(self._job(), fmt, stem, str(title))

    def template_download(self, fmt: str):
        """An empty file with the expected columns and one example row."""
        self._allowed()
        rows, stem, sheet, title = self.template
        header, example = rows()
        return exporter.download(
            exporter.Export(stem, str(sheet), str(title), header, example), fmt
        )


def _view(method: Callable, endpoint: str) -> Callable:
    """A view function named `endpoint` calling `method` (a page of an ImportPages)."""

    def view(**values):
        return method(**values)

    view.__name__, view.__doc__ = endpoint, method.__doc__
    return view
