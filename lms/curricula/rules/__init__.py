"""Curricula rules with no Flask and no database (DESIGN.md §3), each a pure function of its
arguments, one module a seam:

- states: the obligation kinds and statuses, withdrawal reasons and compliance statuses;
- dates: cycles (`CycleRules`), posts held (`Held`), exempting leave (`Leave`), the months of
  a cycle and its days;
- targets: pro-rated credit targets and the months worked;
- due: the requirements of the posts held and their due dates (leave shifting them later);
- planning: validity, the obligations an official should have (`plan`) and the writes that
  get there (`reconcile`);
- credits: whether a completion earns its course's credits (repeatable courses).
"""
