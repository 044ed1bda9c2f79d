package app

import "testing"

// A request is counted by the category it was registered with, else by the words of its
// description (电梯 before 灯, 门禁卡 before 门禁), else as 其他.
func TestServiceCategory_RegisteredElseFromTheDescription(t *testing.T) {
	for _, tt := range []struct {
		r    ServiceRequest
		want ServiceCategory
	}{
		{ServiceRequest{Description: "电梯按键失灵"}, CategoryLift},
		{ServiceRequest{Description: "电梯间灯不亮"}, CategoryLift},
		{ServiceRequest{Description: "楼道灯不亮"}, CategoryPower},
		{ServiceRequest{Description: "厨房水管漏水"}, CategoryWater},
		{ServiceRequest{Description: "外墙渗水"}, CategoryBuilding},
		{ServiceRequest{Description: "绿化喷灌漏水"}, CategoryGreening},
		{ServiceRequest{Description: "门禁卡补办"}, CategoryAdmin},
		{ServiceRequest{Description: "单元门禁故障"}, CategorySecurity},
		{ServiceRequest{Description: "保洁不及时"}, CategoryCleaning},
		{ServiceRequest{Description: "快递柜位置"}, CategoryAdmin},
		{ServiceRequest{Description: "咨询一件事"}, CategoryOther},
		{ServiceRequest{Description: "楼道灯不亮", Category: CategoryLift}, CategoryLift},
	} {
		if got := tt.r.CategoryOf(); got != tt.want {
			t.Errorf("%q (%q): %s, want %s", tt.r.Description, tt.r.Category, got, tt.want)
		}
	}
	for _, s := range []string{"lift", "电梯", " water "} {
		if _, err := ParseServiceCategory(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	if _, err := ParseServiceCategory("roof"); ErrorCode(err) != EINVALID {
		t.Errorf("an unknown category: %v", err)
	}
	if err := (ServiceRequest{Unit: "1-1-101", Kind: ServiceRepair, Description: "x", Category: "roof"}).Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("a request with an unknown category: %v", err)
	}
}
