package ui

import (
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"sunledger/app"
)

// Screens are written in Simplified Chinese: every label is passed through L with its
// Chinese text as the key, and translations/en.json maps those keys to English.
//
// Fyne picks its language from the OS and has no public API to force one (Fyne issue
// 5333). Sunledger wants Chinese unless the committee chose English, whatever the OS
// says, so SetLanguage registers the chosen language's strings under the OS locale's
// own tag, which the lang matcher then prefers:
//   - Chinese: Fyne's own Chinese strings (Cancel → 取消, copied from Fyne as
//     translations/fyne.zh.json) and our keys mapped to themselves;
//   - English: Fyne's English strings (translations/fyne.en.json) and en.json.
//
//go:embed translations
var translations embed.FS

// LanguagePreference is the app preference key that holds "zh" or "en".
const LanguagePreference = "language"

var english bool

// ChooseEnglish decides the language before any screen is built: SUNLEDGER_LANG
// (en|zh) wins, then the saved preference, then Chinese.
func ChooseEnglish(saved string) bool {
	if v := strings.ToLower(os.Getenv("SUNLEDGER_LANG")); v != "" {
		return strings.HasPrefix(v, "en")
	}
	return strings.HasPrefix(strings.ToLower(saved), "en")
}

// SetLanguage loads the translations for the chosen language; call it once, before
// building any screen. Domain messages (app errors) follow the same choice.
func SetLanguage(en bool) {
	english = en
	app.SetEnglish(en)
	data, err := languageFile(en)
	if err != nil {
		fyne.LogError("loading translations", err)
		return
	}
	sys := lang.SystemLocale()
	for _, loc := range []fyne.Locale{"en", sys, fyne.Locale(sys.LanguageString())} {
		if err := lang.AddTranslationsForLocale(data, loc); err != nil {
			fyne.LogError("loading translations for "+string(loc), err)
		}
	}
}

// languageFile merges Fyne's own strings in the chosen language with ours. Every key is
// present, so lookups never fall back (which Fyne would log as a failure).
func languageFile(en bool) ([]byte, error) {
	ours, err := readStrings("translations/en.json")
	if err != nil {
		return nil, err
	}
	fyneFile := "translations/fyne.zh.json"
	if en {
		fyneFile = "translations/fyne.en.json"
	}
	b, err := translations.ReadFile(fyneFile)
	if err != nil {
		return nil, err
	}
	merged := map[string]json.RawMessage{} // Fyne's values may be plural forms
	if err := json.Unmarshal(b, &merged); err != nil {
		return nil, fmt.Errorf("%s: %w", fyneFile, err)
	}
	for zh, enText := range ours {
		text := zh
		if en {
			text = enText
		}
		merged[zh], _ = json.Marshal(text)
	}
	return json.Marshal(merged)
}

func readStrings(file string) (map[string]string, error) {
	b, err := translations.ReadFile(file)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return m, nil
}

// English reports whether the screens are in English.
func English() bool { return english }

// L translates a Chinese label; with args it is a fmt format (%d, %s) in both languages.
func L(zh string, args ...any) string {
	s := lang.L(zh)
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Operator is the name written into the audit log for changes made in this window:
// the member signed in at the desk, else (a book with no members yet) SUNLEDGER_USER,
// else the OS user.
func Operator() string {
	touch()
	if m := SignedIn(); m != "" {
		return m
	}
	for _, v := range []string{"SUNLEDGER_USER", "USER", "USERNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "gui"
}
