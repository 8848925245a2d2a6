"""The raw-SQL floors: for each benchmarked answer, one hand-written SQL statement giving the
same answer, sent through the bare DBAPI connection (no ORM, no SQLAlchemy statement building).
A page's time divided by its floor's is what the application adds on top of the database."""

import re
from datetime import timedelta
from decimal import Decimal

from lms.extensions import db

# Counts per compliance status of the officials placed (open primary post) in units whose path
# starts with :prefix — the same rules as lms.compliance.queries, aggregates limited to them
# (STATUS_COUNTS) or, for the whole city, over the whole cycle (CITY_STATUS_COUNTS, faster
# when every official is in).
STATUS_COUNTS = """
WITH scope AS (
  SELECT pa.official_id FROM position_assignments pa JOIN org_units u ON u.id = pa.unit_id
  WHERE pa.is_primary AND pa.ended_on IS NULL AND u.path LIKE :prefix
), earned AS (
  SELECT le.official_id, SUM(le.credits) AS earned FROM ledger_entries le
  JOIN scope s ON s.official_id = le.official_id
  WHERE le.cycle_id = :cycle GROUP BY le.official_id
), owed AS (
  SELECT o.official_id,
    SUM(CASE WHEN o.status <> 'withdrawn' THEN 1 ELSE 0 END) AS required,
    SUM(CASE WHEN o.status = 'done' THEN 1 ELSE 0 END) AS completed,
    SUM(CASE WHEN o.status = 'open' AND o.due_on < :today THEN 1 ELSE 0 END) AS overdue,
    SUM(CASE WHEN o.status = 'open' AND o.due_on <= :soon THEN 1 ELSE 0 END) AS due_soon
  FROM obligations o JOIN scope s ON s.official_id = o.official_id
  WHERE o.cycle_id = :cycle GROUP BY o.official_id
)
SELECT status, COUNT(*) FROM (
  SELECT CASE
    WHEN st.status IS NOT NULL THEN st.status
    WHEN COALESCE(e.earned, 0) >= COALESCE(t.target_credits, 0)
         AND COALESCE(w.completed, 0) >= COALESCE(w.required, 0) THEN 'met'
    WHEN COALESCE(w.overdue, 0) > 0 THEN 'overdue'
    WHEN COALESCE(w.due_soon, 0) > 0
         OR (COALESCE(e.earned, 0) + :slack) * :days < COALESCE(t.target_credits, 0) * :gone
      THEN 'at_risk'
    ELSE 'on_track' END AS status
  FROM scope s
  LEFT JOIN official_targets t ON t.official_id = s.official_id AND t.cycle_id = :cycle
  LEFT JOIN earned e ON e.official_id = s.official_id
  LEFT JOIN owed w ON w.official_id = s.official_id
  LEFT JOIN statements st ON st.official_id = s.official_id AND st.cycle_id = :cycle
       AND st.superseded_at IS NULL
) standing GROUP BY status
"""

# What /me answers: the official's target and earned credits in the cycle, and each mandatory
# course with its due date and state.
CITY_STATUS_COUNTS = STATUS_COUNTS.replace(
    "JOIN scope s ON s.official_id = le.official_id", ""
).replace("JOIN scope s ON s.official_id = o.official_id", "")
assert CITY_STATUS_COUNTS != STATUS_COUNTS

ME = """
SELECT t.target_credits,
  (SELECT COALESCE(SUM(le.credits), 0) FROM ledger_entries le
   WHERE le.official_id = :official AND le.cycle_id = :cycle) AS earned,
  c.code, c.title, o.due_on, o.status
FROM official_targets t
LEFT JOIN obligations o ON o.official_id = t.official_id AND o.cycle_id = t.cycle_id
LEFT JOIN courses c ON c.id = o.course_id
WHERE t.official_id = :official AND t.cycle_id = :cycle
"""

# The city statement of a closed cycle, one row per official, in name order.
STATEMENT_ROWS = """
SELECT st.employee_code, st.full_name, st.gender, st.unit_code, st.unit_name,
  st.position_name, st.rank_name, st.target_credits, st.earned_credits,
  st.mandatory_required, st.mandatory_completed, st.status
FROM statements st JOIN officials o ON o.id = st.official_id
WHERE st.cycle_id = :cycle AND st.superseded_at IS NULL
ORDER BY o.sort_name, o.id
"""

CERTIFICATE = "SELECT * FROM certificates WHERE serial = :serial"


def status_params(cycle, as_of, prefix: str) -> dict:
    """The parameters of STATUS_COUNTS: the pace is lms.curricula.rules' (earned + slack) ×
    cycle days < target × elapsed days."""
    from lms.curricula.rules.dates import cycle_days, elapsed_days

    return {
        "prefix": prefix + "%",
        "cycle": cycle.id,
        "today": as_of,
        "soon": as_of + timedelta(days=cycle.at_risk_days),
        "slack": cycle.pace_slack,
        "days": cycle_days(cycle.starts_on, cycle.ends_on),
        "gone": elapsed_days(cycle.starts_on, cycle.ends_on, as_of),
    }


class Floor:
    """Runs hand-written SQL on one bare DBAPI connection of the app's engine."""

    def __init__(self) -> None:
        self.connection = db.engine.raw_connection()
        self.postgres = db.engine.dialect.name == "postgresql"

    def rows(self, sql: str, **params) -> list[tuple]:
        """The rows of a query (the transaction ended, as a request's would be)."""
        return self._run(sql, params, fetch=True)

    def execute(self, sql: str, **params) -> None:
        """A write, committed."""
        self._run(sql, params, fetch=False)

    def _run(self, sql: str, params: dict, fetch: bool):
        if self.postgres:
            sql = re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql)
        else:
            params = {k: float(v) if isinstance(v, Decimal) else v for k, v in params.items()}
            params = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in params.items()}
        cursor = self.connection.cursor()
        cursor.execute(sql, params)
        result = cursor.fetchall() if fetch else None
        cursor.close()
        self.connection.commit()  # end the read transaction, as a request would
        return result

    def close(self) -> None:
        self.connection.close()
