"""Demo data for Đà Nẵng: reference data from data/, ~600 generated officials, demo logins."""
