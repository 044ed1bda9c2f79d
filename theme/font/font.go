// Package font bundles the CJK+Latin TrueType face used by both the Fyne UI
// and the PDF reports. It deliberately imports nothing from Fyne so that
// PDF code (gofpdf) can use it without pulling in the GUI toolkit.
//
// The face is WenQuanYi Micro Hei, face 0 of Debian's fonts-wqy-microhei
// TTC, extracted unmodified as a plain TrueType-outline TTF by extract.sh
// (Fyne 2.7 panics on TTC files and gofpdf accepts only TrueType TTF).
// License: Apache-2.0 or GPL-3+ with font exception; see
// LICENSE-wqy-microhei.txt.
package font

import _ "embed"

// Name is the family name of the bundled face.
const Name = "WenQuanYi Micro Hei"

// FileName is the name of the embedded font file.
const FileName = "wqy-microhei.ttf"

// TTF holds the bytes of the bundled TrueType font. Treat it as read-only.
//
//go:embed wqy-microhei.ttf
var TTF []byte
