"""Tables sent as file downloads: CSV (UTF-8 with BOM, for Excel) or XLSX, cells escaped
against formula injection by lms.common.tabular."""

from flask import Response, abort

from lms.common.tabular import write_csv, write_xlsx

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


def attachment(name: str, fmt: str) -> dict[str, str]:
    """The Content-Disposition header of a download called `name`.`fmt`."""
    return {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}


def table_download(name: str, fmt: str, header: list[str], rows) -> Response:
    """`rows` under `header` as `name`.csv or `name`.xlsx; 404 for any other format."""
    if fmt not in WRITERS:
        abort(404)
    return Response(
        WRITERS[fmt](header, rows), mimetype=MIMETYPES[fmt], headers=attachment(name, fmt)
    )
