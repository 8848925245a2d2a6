"""Unit heads and the organisation's side of training: who heads which unit, the team page,
nominations and approvals, escalation, training needs, the annual plan and the annual report."""
