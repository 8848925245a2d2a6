"""Training evaluation (Circular 10/2017): course, class and trainer evaluations asked of
learners after a completion, the effectiveness survey months later, and the reports."""
