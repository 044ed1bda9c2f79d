package main

// outputs documents what a command prints, for the reference (docs/cli.md). JSON shapes
// here are promises to scripts: change them only together with docs/formats.md.
var outputs = map[string]string{
	"fees arrears": "Open bills per unit, with their age. `--json`: " +
		"`[{\"unit\": \"1-1-101\", \"owed\": \"123.45\", \"bills\": 3, \"oldest\": \"2026-01\"}, ...]`.",
	"fees collection": "The collection rate (收缴率) of the period's bills, by amount and by households. `--json`: " +
		"`{\"period\", \"billed\", \"received\", \"rate_by_amount\", \"households_billed\", \"households_paid\", \"rate_by_households\"}`.",
	"fees pay": "Prints the receipt number as the last word.",
	"ledger balance": "The balance of every account. `--json`: " +
		"`[{\"account\": \"资产:物业服务资金:银行存款\", \"balance\": \"1234.50\"}, ...]`, the same account names as the export.",
	"ledger export": "The whole journal as a ledger-cli/hledger journal on stdout; each transaction carries its entry number, hash and previous hash.",
	"verify":        "Re-walks the hash chain and every balance and cross-checks the documents; exits non-zero naming the first break.",
	"vote new":      "Prints the assembly's id as the last word.",
	"vote tally":    "The result; `--json` as in formats.md (\"Tally JSON\").",
	"expense apply": "Prints the request's id as the last word.",
	"units list":    "The register; `--json`: an array of units.",
}
