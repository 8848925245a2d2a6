"""Anonymous marking of the written round of recruitment exams, results and appeals (issue 28;
docs/recruitment.md "Marking, results and appeals"): models, pure rules, services, pages."""
