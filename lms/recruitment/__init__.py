"""Recruitment exams (thi tuyển công chức, issue 28): recruitments, positions and quotas,
candidates and their accounts, exam rooms and sessions, the computer-based round and the
hash-chained results log; the `marking` sub-package adds anonymous marking, results and appeals."""
