"""The obligations engine (targets and obligations per official and cycle), its session hooks,
the closures it respects, the obligation notices and the read-side queries of obligations."""
