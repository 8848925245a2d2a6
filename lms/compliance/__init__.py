"""Compliance: the compliance status and its dashboards by scope and cycle, cycle close with
frozen statements (the `CycleClosure` and `Statement` tables), an official's "My training"
(/me), the performance-review view and the exports. The blueprint and its hooks are in
`blueprint`."""
