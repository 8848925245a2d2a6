"""Training cycles and the position curricula (target and mandatory courses), with their manager
screens under /manage/curricula/ and /manage/cycles/."""
