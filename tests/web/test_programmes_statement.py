"""The reviewer's statement page and PDF list the programmes the official's rank requires, with
where they stand (here: not certified yet, one of one set to do)."""

from datetime import date

from lms.extensions import db
from lms.i18n import _
from lms.programmes.files import ProgrammeBundle, SetBundle
from lms.programmes.transfer import import_programmes
from tests.factories import cycle_of, import_course
from tests.services.test_certificates_pdf import text_of


def test_the_statement_lists_the_required_programme(world, assets_dir, login_as, freeze):
    freeze(date(2026, 3, 20))
    import_course("BB01")
    cycle_of(2026)
    bundle = ProgrammeBundle(
        code="CVC",
        title="Bồi dưỡng ngạch chuyên viên",
        content_area="ND3",
        sets=(SetBundle("Kiến thức chung", "all", ("BB01",)),),
        ranks=("01.003",),  # T-MAN's rank
        validity_months=36,
    )
    import_programmes([bundle], None, None)
    db.session.commit()
    reviewer = login_as("reviewer")
    page = reviewer.get("/reviews/T-MAN?cycle=2026").get_data(as_text=True)
    assert 'aria-labelledby="programmes-h"' in page
    assert "Bồi dưỡng ngạch chuyên viên" in page and 'class="p-missing"' in page
    assert _("Not certified yet.") in page
    pdf = reviewer.get("/reviews/T-MAN.pdf?cycle=2026")
    assert pdf.status_code == 200
    assert "Bồi dưỡng ngạch chuyên viên" in " ".join(text_of(pdf.data).split())
