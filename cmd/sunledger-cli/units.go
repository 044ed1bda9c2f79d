package main

import (
	"fmt"

	"sunledger/app"
	"sunledger/sheet"
)

func init() {
	register("units import", "FILE   "+app.T("导入登记册（CSV 或 XLSX，全部成功或全部不导入）", "import the register (CSV or XLSX, all or nothing)"), unitsImport)
	register("units list", "[--json]   "+app.T("列出登记册", "list the register"), unitsList)
}

func unitsImport(e *env, args []string) error {
	return unchanged(unitsImportOnce(e, args), "没有导入任何房号", "no unit was imported")
}

func unitsImportOnce(e *env, args []string) error {
	fs := newFlags("units import")
	as := asFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("用法：units import 文件", "usage: units import FILE")
	}
	rows, err := sheet.Read(pos[0])
	if err != nil {
		return err
	}
	units, err := app.ParseRegisterRows(rows)
	if err != nil {
		return err
	}
	svc, err := e.services()
	if err != nil {
		return err
	}
	if err := svc.Register.ImportUnits(e.ctx, units, who(*as), "import "+pos[0]); err != nil {
		return err
	}
	all, err := svc.Register.Units(e.ctx)
	if err != nil {
		return err
	}
	c, _ := svc.Book.Community(e.ctx)
	t := app.RegisterTotals(all, !c.ExcludeParking)
	fmt.Fprintf(e.stdout, app.T("已导入 %d 个房号；登记册共 %d 个房号，总面积 %s m²，人数 %d\n", "imported %d units; the register has %d units, total area %s m², headcount %d\n"),
		len(units), t.Units, t.Area.StringFixed(2), t.Headcount)
	return nil
}

func unitsList(e *env, args []string) error {
	fs := newFlags("units list")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	units, err := svc.Register.Units(e.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			Unit          string `json:"unit"`
			Kind          string `json:"kind"`
			Area          string `json:"area"`
			OwnerID       string `json:"owner_id"`
			OwnerName     string `json:"owner_name"`
			DeveloperHeld bool   `json:"developer_held"`
		}
		out := make([]row, 0, len(units))
		for _, u := range units {
			out = append(out, row{u.ID, string(u.Kind), u.Area.StringFixed(2), u.OwnerID, u.OwnerName, u.DeveloperHeld})
		}
		return printJSON(e.stdout, out)
	}
	tw := newTable(e.stdout)
	fmt.Fprintln(tw, app.T("房号\t类型\t面积\t业主编号\t业主姓名\t开发商持有", "unit\tkind\tarea\towner_id\towner_name\tdeveloper_held"))
	for _, u := range units {
		held := ""
		if u.DeveloperHeld {
			held = app.T("是", "yes")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, app.KindLabel(u.Kind), u.Area.StringFixed(2), u.OwnerID, u.OwnerName, held)
	}
	return tw.Flush()
}
