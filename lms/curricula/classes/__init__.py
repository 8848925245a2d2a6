"""In-person classes: the class, its roster, attendance and results, and their manager screens."""
