package main

import (
	"fmt"

	"sunledger/app"
	"sunledger/demo"
	"sunledger/storage"
)

func init() {
	register("init", "--name NAME [--encrypt [--as NAME] [--passphrase-file F]]   "+app.T("在数据文件夹中创建空账本（--encrypt：加密账本）", "create an empty book in the data folder (--encrypt: an encrypted book)"), initBook)
	register("demo", "[--units N] [--years Y] [--seed S] [--encrypt]   "+app.T("生成示例小区", "create a demo community"), runDemo)
	register("audit", "[--json]   "+app.T("操作日志", "the audit log"), auditLog)
}

func initBook(e *env, args []string) error {
	fs := newFlags("init")
	name := fs.String("name", "", "community name")
	excludeParking := fs.Bool("exclude-parking", false, "the community's rules leave parking spaces out of vote area and headcount")
	as := asFlag(fs)
	enc := fs.Bool("encrypt", false, "encrypt the book (passphrase from --passphrase-file or SUNLEDGER_PASSPHRASE, slot owner from --as or SUNLEDGER_USER)")
	pf := fs.String("passphrase-file", "", "file holding the founder's passphrase (with --encrypt)")
	if err := parseStrict(fs, args, "name"); err != nil { // a name with a space needs quotes
		return err
	}
	c := app.Community{Name: *name, ExcludeParking: *excludeParking}
	if err := c.Validate(); err != nil { // before anything is made in the data folder
		return err
	}
	if err := othersFiles(e.dataDir); err != nil {
		return err
	}
	if err := setupEncryption(e, *enc, *pf, *as); err != nil { // encrypt.go
		return err
	}
	svc, err := e.openServices()
	if err != nil {
		return err
	}
	if err := svc.Book.Init(e.ctx, c, who(*as)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("已在 %s 创建“%s”的账本\n", "created the book of %[2]q in %[1]s\n"), e.dataDir, *name)
	return nil
}

// othersFiles refuses a folder that holds files but no book (the user's documents, a
// mistyped --data): init would scatter a database among them. A folder holding a
// book's files goes on to Init, which says whether a book is already there.
func othersFiles(dir string) error {
	if storage.HoldsStore(dir) {
		return nil
	}
	if f := storage.ForeignFile(dir); f != "" {
		return app.Errorf(app.ECONFLICT, "文件夹 %s 里有不属于账本的文件（%s）：没有做任何更改；请为账本换一个空文件夹",
			"the folder %s holds files that are not part of a book (%s): nothing was changed; use an empty folder for the book", dir, f)
	}
	return nil
}

func runDemo(e *env, args []string) error {
	fs := newFlags("demo")
	opts := demo.Options{}
	fs.IntVar(&opts.Units, "units", 1200, "number of units")
	fs.IntVar(&opts.Years, "years", 2, "years of history")
	fs.Int64Var(&opts.Seed, "seed", 1, "random seed")
	fs.StringVar(&opts.Name, "name", "", "community name")
	enc := fs.Bool("encrypt", false, "encrypt the book (as init --encrypt)")
	pf := fs.String("passphrase-file", "", "file holding the founder's passphrase (with --encrypt)")
	as := fs.String("as", "", "owner of the first key slot (with --encrypt)")
	if err := parseStrict(fs, args); err != nil {
		return err
	}
	// The demo writes thousands of transactions: it is built in a folder beside the data
	// folder and swapped in whole when done, so a demo killed half-way leaves no half a
	// book; the next run removes the leftover and starts over (docs/resume.md). A folder
	// that holds a book, or files that are not a book's, is refused.
	prepare := func(tmp string) error {
		target := e.dataDir
		defer func() { e.dataDir = target }()
		e.dataDir = tmp
		return setupEncryption(e, *enc, *pf, *as) // encrypt.go
	}
	opts.Progress = func(step string) { fmt.Fprintln(e.stderr, step) }
	var res demo.Result
	err := storage.NewBook(e.dataDir).BuildDemo(e.ctx, prepare, func(s app.Services) (err error) {
		res, err = demo.Build(e.ctx, s, opts)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, app.T("示例小区“%s”已生成：%d 个房号，%d 年账目，位于 %s\n", "demo community %q created: %d units, %d years of books, in %s\n"),
		res.Name, res.Units, opts.Years, e.dataDir)
	return nil
}

func auditLog(e *env, args []string) error {
	fs := newFlags("audit")
	asJSON := jsonFlag(fs)
	svc, err := e.parseOpen(fs, args)
	if err != nil {
		return err
	}
	recs, err := svc.Book.Audit(e.ctx)
	if err != nil {
		return err
	}
	return e.printResult(*asJSON, recs, func() error {
		for _, r := range recs {
			fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\t%s\n", r.Seq, r.At.Local().Format("2006-01-02 15:04:05"), r.Who, r.Action, r.What, r.Why)
		}
		return nil
	})
}
