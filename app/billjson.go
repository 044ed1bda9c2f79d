package app

import "sunledger/internal/jsonscan"

// DecodeBill decodes a stored bill. It gives exactly what json.Unmarshal gives
// (FuzzDecodeBill holds it to that), reading the shape json.Marshal writes directly and
// handing anything else to encoding/json, a developer's bill (its flag is a JSON
// boolean) among them: a snapshot reads every bill of the book, 360,000 on the
// 3,000-unit 10-year demo, and encoding/json was a tenth of the export's CPU.
func DecodeBill(b []byte) (Bill, error) { return decodeJSON(b, scanBill) }

func scanBill(b []byte, x *Bill) bool {
	s := jsonscan.New(b)
	s.Object(func(k []byte) {
		switch string(k) {
		case "unit":
			x.Unit = s.String()
		case "period":
			x.Period = s.String()
		case "kind":
			x.Kind = UnitKind(s.String())
		case "area":
			x.Area = ScanAmount(&s)
		case "price":
			x.Price = ScanAmount(&s)
		case "amount":
			x.Amount = ScanAmount(&s)
		case "payer":
			x.Payer = s.String()
		default:
			s.Fail()
		}
	})
	s.End()
	return !s.Bad()
}
