package kube

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"slices"
	"text/template"
	"time"
)

// renderEpoch is what `now` answers while a chart renders for check.
var renderEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// maxRandomLength bounds what one random function of a chart may make:
// a hostile chart asking for `randAlphaNum 1000000000` is an error at its
// template line, not a gigabyte.
const maxRandomLength = 1 << 16

// deterministicFuncs replaces the template functions whose output changes
// from one helm run to the next, so that check gives the same bytes for the
// same chart. Helm's own answers are random strings, a fresh UUID, the
// clock, map order and freshly generated keys and certificates; check reads
// the manifests a chart writes, never those values, so it takes one
// possible answer of each, from a source seeded the same for every render:
//
//   - randAlphaNum, randAlpha, randNumeric, randAscii, randBytes, randInt,
//     uuidv4 and shuffle draw from that source, in render order, so two
//     calls still differ (podinfo's seven test Pods keep seven names);
//   - now is 2000-01-01T00:00:00Z, ago counts from it, and date and
//     htmlDate write in UTC rather than the machine's zone;
//   - keys and values list a dict in key order (helm's order is random);
//   - genPrivateKey, genCA, genSelfSignedCert and genSignedCert (and their
//     WithKey forms), bcrypt, htpasswd and encryptAES give fixed text of
//     the same shape (a PEM block of the same type), generated for no one.
func deterministicFuncs() template.FuncMap {
	rng := rand.New(rand.NewPCG(1, 2))
	from := func(alphabet string) func(int) (string, error) {
		return func(n int) (string, error) {
			if n > maxRandomLength {
				return "", fmt.Errorf("a random string of %d characters; check renders at most %d", n, maxRandomLength)
			}
			b := make([]byte, max(n, 0))
			for i := range b {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
			return string(b), nil
		}
	}
	const (
		letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		digits  = "0123456789"
	)
	ascii := make([]byte, 0, 95)
	for c := byte(' '); c <= '~'; c++ {
		ascii = append(ascii, c)
	}
	return template.FuncMap{
		"randAlphaNum": from(letters + digits),
		"randAlpha":    from(letters),
		"randNumeric":  from(digits),
		"randAscii":    from(string(ascii)),
		"randBytes": func(n int) (string, error) {
			if n > maxRandomLength {
				return "", fmt.Errorf("%d random bytes; check renders at most %d", n, maxRandomLength)
			}
			b := make([]byte, max(n, 0))
			for i := range b {
				b[i] = byte(rng.UintN(256))
			}
			return base64.StdEncoding.EncodeToString(b), nil
		},
		"randInt": func(lo, hi int) (int, error) {
			if hi <= lo {
				return 0, fmt.Errorf("randInt %d %d: the second bound must be above the first", lo, hi)
			}
			return lo + rng.IntN(hi-lo), nil
		},
		"uuidv4": func() string {
			var u [16]byte
			for i := range u {
				u[i] = byte(rng.UintN(256))
			}
			u[6] = u[6]&0x0f | 0x40 // version 4
			u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
			return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
		},
		"shuffle": func(s string) string {
			r := []rune(s)
			rng.Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
			return string(r)
		},
		"now":            func() time.Time { return renderEpoch },
		"ago":            func(date any) string { return renderEpoch.Sub(renderTime(date)).Round(time.Second).String() },
		"date":           func(layout string, date any) string { return renderTime(date).Format(layout) },
		"date_in_zone":   dateInZone,
		"dateInZone":     dateInZone,
		"htmlDate":       func(date any) string { return renderTime(date).Format(time.DateOnly) },
		"htmlDateInZone": func(date any, zone string) string { return dateInZone(time.DateOnly, date, zone) },
		"keys": func(dicts ...map[string]any) []string {
			var out []string
			for _, d := range dicts {
				out = append(out, sortedKeys(d)...)
			}
			return out
		},
		"values": func(d map[string]any) []any {
			out := make([]any, 0, len(d))
			for _, k := range sortedKeys(d) {
				out = append(out, d[k])
			}
			return out
		},
		"genPrivateKey":            func(typ string) string { return placeholderKey(typ) },
		"genCA":                    func(cn string, days int) placeholderCert { return newPlaceholderCert() },
		"genCAWithKey":             func(cn string, days int, key string) placeholderCert { return newPlaceholderCert() },
		"genSelfSignedCert":        func(cn string, ips, dns []any, days int) placeholderCert { return newPlaceholderCert() },
		"genSelfSignedCertWithKey": func(cn string, ips, dns []any, days int, key string) placeholderCert { return newPlaceholderCert() },
		"genSignedCert":            func(cn string, ips, dns []any, days int, ca any) placeholderCert { return newPlaceholderCert() },
		"genSignedCertWithKey": func(cn string, ips, dns []any, days int, ca any, key string) placeholderCert {
			return newPlaceholderCert()
		},
		"bcrypt":     func(string) string { return placeholderBcrypt },
		"htpasswd":   func(user, _ string) string { return user + ":" + placeholderBcrypt },
		"encryptAES": func(_, plaintext string) string { return base64.StdEncoding.EncodeToString([]byte(plaintext)) },
	}
}

// renderTime is the time a date function of sprig reads from its argument:
// a time, or seconds since the epoch; anything else is now, here
// renderEpoch.
func renderTime(date any) time.Time {
	switch d := date.(type) {
	case time.Time:
		return d.UTC()
	case *time.Time:
		if d != nil {
			return d.UTC()
		}
	case int64:
		return time.Unix(d, 0).UTC()
	case int:
		return time.Unix(int64(d), 0).UTC()
	case int32:
		return time.Unix(int64(d), 0).UTC()
	}
	return renderEpoch
}

// dateInZone is sprig's, except that the machine's own zone (Local, which
// date and htmlDate use) is UTC: the same chart gives the same bytes on
// every machine.
func dateInZone(layout string, date any, zone string) string {
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "Local" {
		loc = time.UTC
	}
	return renderTime(date).In(loc).Format(layout)
}

func sortedKeys(d map[string]any) []string {
	out := make([]string, 0, len(d))
	for k := range d {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// placeholderCert has the fields templates read of sprig's certificate.
type placeholderCert struct{ Cert, Key string }

func newPlaceholderCert() placeholderCert {
	return placeholderCert{Cert: pemBlock("CERTIFICATE"), Key: placeholderKey("rsa")}
}

// placeholderKey is a PEM block of the type genPrivateKey writes, so that
// what a rule sees of a generated key has the shape helm gives it.
func placeholderKey(typ string) string {
	switch typ {
	case "ecdsa":
		return pemBlock("EC PRIVATE KEY")
	case "ed25519":
		return pemBlock("PRIVATE KEY")
	case "dsa":
		return pemBlock("DSA PRIVATE KEY")
	default:
		return pemBlock("RSA PRIVATE KEY")
	}
}

func pemBlock(typ string) string {
	body := base64.StdEncoding.EncodeToString([]byte("generated by helm at install; not generated by shipshape check"))
	return "-----BEGIN " + typ + "-----\n" + body + "\n-----END " + typ + "-----\n"
}

const placeholderBcrypt = "$2a$10$shipshapecheckdoesnotgenerateahashxxxxxxxxxxxxxxxxxxxx"
