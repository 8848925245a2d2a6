"""Training needs and the annual plan (issue 23): units submit their needs for next year, the
Department consolidates them into the annual plan by course and quarter and approves it, the
plan links to class creation and nominations, and plan vs actual reads the completions."""
