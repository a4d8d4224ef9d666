package synth

// provinces are the 34 provincial units after the reorganisation of 1 July
// 2025 (6 centrally run cities, 28 provinces), each with some of its
// communes and wards as they are named since then. The district level no
// longer exists, so a unit path is province / commune or ward / office.
var provinces = []struct {
	Name     string
	Communes []string
}{
	{"Hà Nội", []string{"Phường Ba Đình", "Phường Hoàn Kiếm", "Phường Cửa Nam", "Phường Ngọc Hà", "Phường Giảng Võ", "Phường Tây Hồ", "Phường Phú Thượng", "Phường Cầu Giấy", "Phường Hà Đông", "Xã Sóc Sơn", "Xã Ba Vì"}},
	{"Huế", []string{"Phường Thuận Hóa", "Phường Phú Xuân", "Phường Hương Thủy", "Phường Kim Long"}},
	{"Hải Phòng", []string{"Phường Hồng Bàng", "Phường Lê Chân", "Phường Hải Dương", "Phường Thủy Nguyên"}},
	{"Đà Nẵng", []string{"Phường Hải Châu", "Phường Hòa Cường", "Phường Tam Kỳ", "Phường Hội An"}},
	{"Thành phố Hồ Chí Minh", []string{"Phường Sài Gòn", "Phường Bến Thành", "Phường Tân Định", "Phường Gia Định", "Phường Thủ Đức", "Phường Thủ Dầu Một", "Phường Vũng Tàu", "Xã Cần Giờ", "Xã Củ Chi"}},
	{"Cần Thơ", []string{"Phường Ninh Kiều", "Phường Cái Răng", "Phường Sóc Trăng", "Phường Vị Thanh"}},
	{"Lai Châu", []string{"Phường Tân Phong", "Phường Đoàn Kết"}},
	{"Điện Biên", []string{"Phường Điện Biên Phủ", "Phường Mường Thanh"}},
	{"Sơn La", []string{"Phường Tô Hiệu", "Phường Chiềng Sinh"}},
	{"Lạng Sơn", []string{"Phường Đông Kinh", "Phường Lương Văn Tri"}},
	{"Quảng Ninh", []string{"Phường Hạ Long", "Phường Bãi Cháy", "Phường Móng Cái 1"}},
	{"Thanh Hóa", []string{"Phường Hạc Thành", "Phường Sầm Sơn", "Phường Đông Sơn"}},
	{"Nghệ An", []string{"Phường Trường Vinh", "Phường Thành Vinh", "Phường Cửa Lò"}},
	{"Hà Tĩnh", []string{"Phường Thành Sen", "Phường Trần Phú"}},
	{"Cao Bằng", []string{"Phường Thục Phán", "Phường Nùng Trí Cao"}},
	{"Tuyên Quang", []string{"Phường Minh Xuân", "Phường Hà Giang 1"}},
	{"Lào Cai", []string{"Phường Lào Cai", "Phường Yên Bái", "Phường Sa Pa"}},
	{"Thái Nguyên", []string{"Phường Phan Đình Phùng", "Phường Đức Xuân"}},
	{"Phú Thọ", []string{"Phường Việt Trì", "Phường Vĩnh Phúc", "Phường Hòa Bình"}},
	{"Bắc Ninh", []string{"Phường Kinh Bắc", "Phường Bắc Giang", "Phường Từ Sơn"}},
	{"Hưng Yên", []string{"Phường Phố Hiến", "Phường Thái Bình"}},
	{"Ninh Bình", []string{"Phường Hoa Lư", "Phường Nam Định", "Phường Phủ Lý"}},
	{"Quảng Trị", []string{"Phường Đồng Hới", "Phường Đông Hà"}},
	{"Quảng Ngãi", []string{"Phường Cẩm Thành", "Phường Kon Tum"}},
	{"Gia Lai", []string{"Phường Pleiku", "Phường Quy Nhơn"}},
	{"Khánh Hòa", []string{"Phường Nha Trang", "Phường Phan Rang"}},
	{"Lâm Đồng", []string{"Phường Xuân Hương - Đà Lạt", "Phường Phan Thiết", "Phường Bắc Gia Nghĩa"}},
	{"Đắk Lắk", []string{"Phường Buôn Ma Thuột", "Phường Tuy Hòa"}},
	{"Đồng Nai", []string{"Phường Trấn Biên", "Phường Biên Hòa", "Phường Bình Phước"}},
	{"Tây Ninh", []string{"Phường Tân Ninh", "Phường Long An"}},
	{"Vĩnh Long", []string{"Phường Thanh Đức", "Phường Bến Tre", "Phường Trà Vinh"}},
	{"Đồng Tháp", []string{"Phường Mỹ Tho", "Phường Cao Lãnh"}},
	{"Cà Mau", []string{"Phường An Xuyên", "Phường Bạc Liêu"}},
	{"An Giang", []string{"Phường Long Xuyên", "Phường Rạch Giá", "Phường Châu Đốc"}},
}

// offices are where a commune's officials work.
var offices = []string{"UBND", "Trung tâm Phục vụ hành chính công", "Văn phòng HĐND và UBND", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội"}

// Names: family names by how common they are, then middle and given names
// that go with each other.
var (
	familyNames = []string{"Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
		"Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai", "Hà"}
	middleFemale = []string{"Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Phương", "Kim", "Thùy", "Bảo"}
	middleMale   = []string{"Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Anh", "Trọng"}
	givenFemale  = []string{"Lan", "Hoa", "Hương", "Hà", "Hằng", "Hạnh", "Linh", "Mai", "Nga", "Ngọc", "Phương", "Thảo",
		"Trang", "Vân", "Yến", "Thủy", "Loan", "Nhung", "Oanh", "Quyên", "Tâm", "Uyên", "Diệp", "Huyền", "Ánh"}
	givenMale = []string{"An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Long",
		"Minh", "Nam", "Phong", "Quân", "Quang", "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Đức", "Lộc"}
)
