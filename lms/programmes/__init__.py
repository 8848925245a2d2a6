"""Programmes (chương trình) and their certificates (chứng chỉ, Circular 03/2023): course sets,
order, validity, a recertification path, and the programme requirements of positions and ranks."""
