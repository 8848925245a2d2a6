"""Common Vietnamese name parts for generated demo officials (written for this project)."""

FAMILY = """
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý
""".split()
MIDDLE = {
    "male": ("Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Ngọc", "Xuân", "Anh"),
    "female": ("Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Phương", "Bảo", "Hoài"),
}
GIVEN = {
    "male": """
        An Bảo Bình Cường Dũng Đạt Đức Hải Hiếu Hòa Hoàng Hùng Huy Khánh Khoa Kiên Long Lộc
        Minh Nam Nghĩa Nhân Phong Phúc Quân Quang Sơn Tài Thắng Thành Thịnh Tiến Toàn Trung
        Tuấn Tùng Việt Vinh Vũ Ân
    """.split(),
    "female": """
        Anh Ánh Châu Chi Diệp Dung Giang Hà Hạnh Hằng Hiền Hoa Hồng Hương Huyền Lan Linh
        Loan Mai My Nga Ngân Ngọc Nhung Oanh Phương Quỳnh Thảo Thu Thủy Trang Trinh Uyên Vân
        Yến Ái
    """.split(),
}
