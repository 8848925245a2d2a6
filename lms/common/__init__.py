"""Domain-free helpers: clock, Vietnamese text, safe exports, PDF rendering."""
