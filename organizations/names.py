"""Realistic Vietnamese personal names (họ + đệm + tên) for demo and test data."""

import random

FAMILY_NAMES = [
    *["Nguyễn"] * 38, *["Trần"] * 11, *["Lê"] * 9, *["Phạm"] * 7, *["Hoàng"] * 5, *["Vũ"] * 4, *["Đặng"] * 3,
    *["Bùi"] * 3, *["Đỗ"] * 3, "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Hà", "Lương", "Triệu", "Hứa", "Lò", "Sầm",
    "Âu", "Ưng", "Ông", "Đào", "Phan", "Tạ", "Mai", "Trịnh", "Đoàn", "Lã",
]  # fmt: skip
MIDDLE_NAMES = {
    "male": ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Mạnh", "Công", "Thanh", "Trọng", "Đình", "Tiến"],
    "female": ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Kim", "Bích", "Lan"],
}
GIVEN_NAMES = {
    "male": [
        "An", "Anh", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hoà", "Hòa", "Hùng",
        "Huy", "Khánh", "Long", "Lộc", "Minh", "Nam", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thắng", "Thành",
        "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Ưng", "Ân",
    ],
    "female": [
        "An", "Anh", "Ánh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền", "Lan",
        "Linh", "Loan", "Mai", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thu", "Thủy", "Trang",
        "Tuyết", "Uyên", "Vân", "Yến", "Ơn",
    ],
}  # fmt: skip


def vietnamese_full_name(rng: random.Random, gender: str | None = None) -> str:
    gender = gender or rng.choice(["male", "female"])
    parts = [rng.choice(FAMILY_NAMES), rng.choice(MIDDLE_NAMES[gender])]
    if rng.random() < 0.3:
        parts.append(rng.choice(MIDDLE_NAMES[gender]))
    parts.append(rng.choice(GIVEN_NAMES[gender]))
    return " ".join(dict.fromkeys(parts)) if len(set(parts)) < len(parts) else " ".join(parts)
