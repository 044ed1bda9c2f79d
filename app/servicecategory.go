package app

import "strings"

// ServiceCategory is what a service request is about (电梯, 给排水, 秩序与安全…), counted
// on the service report beside its kind (报修/投诉/咨询) (docs/notices.md "Service report").
type ServiceCategory string

// Categories of service request.
const (
	CategoryLift     ServiceCategory = "lift"
	CategoryWater    ServiceCategory = "water"
	CategoryPower    ServiceCategory = "power"
	CategoryBuilding ServiceCategory = "building"
	CategorySecurity ServiceCategory = "security"
	CategoryCleaning ServiceCategory = "cleaning"
	CategoryGreening ServiceCategory = "greening"
	CategoryAdmin    ServiceCategory = "admin"
	CategoryOther    ServiceCategory = "other"
)

// ServiceCategories lists the categories in display order.
var ServiceCategories = []ServiceCategory{CategoryLift, CategoryWater, CategoryPower, CategoryBuilding, CategorySecurity,
	CategoryCleaning, CategoryGreening, CategoryAdmin, CategoryOther}

var serviceCategoryLabels = map[ServiceCategory]string{
	CategoryLift: "电梯", CategoryWater: "给排水", CategoryPower: "供电照明", CategoryBuilding: "房屋及公共部位",
	CategorySecurity: "秩序与安全", CategoryCleaning: "环境卫生", CategoryGreening: "绿化", CategoryAdmin: "收费与管理事务", CategoryOther: "其他",
}

// Label is the category's name for people.
func (c ServiceCategory) Label() string {
	if l, ok := serviceCategoryLabels[c]; ok {
		return l
	}
	return string(c)
}

// ParseServiceCategory reads a category by its code or its label; "" is none.
func ParseServiceCategory(s string) (ServiceCategory, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, c := range ServiceCategories {
		if s == string(c) || s == c.Label() {
			return c, nil
		}
	}
	var codes []string
	for _, c := range ServiceCategories {
		codes = append(codes, string(c))
	}
	return "", Errorf(EINVALID, "未知的服务类别 %q（可用：%s）", "unknown service category %q (available: %s)", s, strings.Join(codes, ", "))
}

// serviceCategoryWords guess a category from a description, first match first: a
// request registered without one (before categories were kept, or without --category)
// is still counted by what it is about.
var serviceCategoryWords = []struct {
	c     ServiceCategory
	words []string
}{
	{CategoryLift, []string{"电梯"}},
	{CategoryAdmin, []string{"门禁卡", "缴费", "物业费", "维修资金", "公示", "申报", "车位", "快递", "收费"}},
	{CategoryGreening, []string{"绿化", "树", "草坪", "喷灌"}},
	{CategoryPower, []string{"灯", "照明", "停电", "电路", "配电"}},
	{CategoryBuilding, []string{"外墙", "屋面", "防水", "扶手", "路面", "墙", "门窗"}},
	{CategoryWater, []string{"水", "漏", "管", "下水", "地漏"}},
	{CategorySecurity, []string{"门禁", "消防", "监控", "车辆", "通道", "抛物", "群租", "噪音", "音响", "扰民", "装修", "安全", "巡逻"}},
	{CategoryCleaning, []string{"保洁", "垃圾", "粪便", "杂物", "卫生", "清扫"}},
}

// CategoryOf is the request's category: the one registered, else the one its
// description's words name, else 其他.
func (r ServiceRequest) CategoryOf() ServiceCategory {
	if r.Category != "" {
		return r.Category
	}
	for _, x := range serviceCategoryWords {
		for _, w := range x.words {
			if strings.Contains(r.Description, w) {
				return x.c
			}
		}
	}
	return CategoryOther
}
