#!/usr/bin/env python3
"""Turns Debian python3-* packages into wheels and lays out a PEP 503 index.

scripts/pyindex.sh downloads the .debs and runs this; see its header. Usage:

  pyindex.py build --out DIR --patchelf PATH [--platform linux_x86_64]
      [--triplet x86_64-linux-gnu] --suite NAME:cpXY:X.Y.Z:DEBDIR:EXTRADIR ...

Suites come newest first: a pure-Python wheel an earlier suite built (same
name and version) is not built again. EXTRADIR holds non-Python .debs whose
files wheels take: shared libraries compiled extensions link (copied into
the wheel) and files Debian replaced with symbolic links (Django's jQuery).
Writes OUT/wheels/*.whl, OUT/simple/ and OUT/versions.txt: what each suite's
Python can install, and what was repaired.

Everything is read from the .debs in memory (`dpkg-deb --fsys-tarfile`);
only extensions that get a RUNPATH touch the disk. Standard library only:
`packaging` is imported from the first suite's python3-packaging .deb.
"""
import argparse
import base64
import hashlib
import html
import importlib.metadata
import io
import os
import posixpath
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

# Debian packages that are no distribution of their own: their files go
# into another package's wheel.
COMPANIONS = {
    "python3-pkg-resources": "python3-setuptools",
    "python3-cffi-backend": "python3-cffi",
}
# The same files under another distribution name as well, as PyPI has them.
ALIASES = {"psycopg2": ["psycopg2-binary"]}
# Shared libraries every Python image has (glibc, the compiler runtime, what
# the interpreter itself links): never copied into a wheel.
SYSTEM_LIBS = {
    "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libutil.so.1",
    "libresolv.so.2", "libnsl.so.1", "libcrypt.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
    "libgcc_s.so.1", "libstdc++.so.6", "libssl.so.3", "libcrypto.so.3", "libz.so.1", "libffi.so.8",
}
SITE = "usr/lib/python3/dist-packages"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

notes = []


def note(msg):
    notes.append(msg)


def canon(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_name(name):
    return canon(name).replace("-", "_")


def deb_fields(deb):
    out = subprocess.run(["dpkg-deb", "-f", deb, "Package", "Version", "Architecture", "Depends"],
                         check=True, capture_output=True, text=True).stdout
    fields, key = {}, None
    for line in out.splitlines():
        if line[:1] in (" ", "\t") and key:
            fields[key] += " " + line.strip()
        elif ":" in line:
            key, _, val = line.partition(":")
            fields[key] = val.strip()
    return fields


def parse_depends(value):
    """[[(name, op, version), ...alternatives], ...]"""
    groups = []
    for group in (value or "").split(","):
        alts = []
        for alt in group.split("|"):
            m = re.match(r"\s*([a-z0-9][a-z0-9+.-]*)(?::\w+)?\s*(?:\((<<|<=|=|>=|>>)\s*([^)]+)\))?", alt)
            if m:
                alts.append((m.group(1), m.group(2), (m.group(3) or "").strip()))
        if alts:
            groups.append(alts)
    return groups


def upstream_version(debver):
    """The upstream part of a Debian version as a Python version, or None."""
    v = re.sub(r"^\d+:", "", debver)
    v = re.sub(r"-[^-]*$", "", v)
    m = re.search(r"really[.+~]?(.*)$", v)
    if m:
        v = m.group(1)
    v = re.sub(r"[+~](ds|dfsg)\d*.*$", "", v)
    v = re.sub(r"~.*$", "", v)
    try:
        return str(Version(v))
    except InvalidVersion:
        return None


class Tree:
    """The files of one or more .debs: path (no leading /) -> member."""

    def __init__(self, debs=()):
        self.members, self.data, self.dirs, self.kids = {}, {}, set(), {}
        for deb in debs:
            self.add(deb)

    def add(self, deb):
        raw = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
            for m in tar:
                path = posixpath.normpath(m.name.lstrip("./")) if m.name not in (".", "./") else ""
                if not path or path == ".":
                    continue
                if m.isdir():
                    self.dirs.add(path)
                else:
                    self.members[path] = m
                    if m.isfile():
                        self.data[path] = tar.extractfile(m).read()
                    elif m.islnk():
                        self.data[path] = self.data.get(posixpath.normpath(m.linkname.lstrip("./")), b"")
                        m.type = tarfile.REGTYPE
                while "/" in path:
                    parent = posixpath.dirname(path)
                    self.kids.setdefault(parent, set()).add(posixpath.basename(path))
                    self.dirs.add(parent)
                    path = parent

    def children(self, directory):
        return sorted(self.kids.get(directory, ()))


def lookup(trees, path, depth=0):
    """(tree, path) of the regular file or directory path names once every
    tree is unpacked at /, symbolic links followed; (None, None) if dangling."""
    if depth > 40:
        return None, None
    parts = path.split("/")
    for i in range(1, len(parts) + 1):
        cur = "/".join(parts[:i])
        m = next((t.members[cur] for t in trees if cur in t.members), None)
        if m is not None and m.issym():
            target = m.linkname
            new = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(cur), target))
            if new.startswith(".."):
                return None, None
            return lookup(trees, "/".join([new] + parts[i:]), depth + 1)
    for t in trees:
        if path in t.data or path in t.dirs:
            return t, path
    return None, None


class MemoryDistribution(importlib.metadata.Distribution):
    """importlib.metadata over a .dist-info or .egg-info directory in a Tree:
    it reads requires.txt for egg-info the way installed packages are read."""

    def __init__(self, tree, info):
        self.tree, self.info = tree, info

    def read_text(self, filename):
        if self.info in self.tree.data:  # an .egg-info file: PKG-INFO alone
            return self.tree.data[self.info].decode("utf-8") if filename == "PKG-INFO" else None
        data = self.tree.data.get(f"{self.info}/{filename}")
        return data.decode("utf-8") if data is not None else None

    def locate_file(self, path):
        return path


class Dist:
    """One Debian package read as a Python distribution."""

    def __init__(self, suite, fields, tree):
        self.suite, self.fields, self.tree = suite, fields, tree
        self.package = fields["Package"]
        want = canon(self.package[len("python3-"):])
        infos = [f"{SITE}/{n}" for n in tree.children(SITE) if n.endswith((".dist-info", ".egg-info"))]
        infos.sort(key=lambda p: (canon(posixpath.basename(p).split("-")[0]) != want, p not in tree.dirs))
        if not infos:
            raise LookupError("no .dist-info or .egg-info (a transitional or data-only package)")
        if len(infos) > 1:
            note(f"{suite.name}: {self.package} holds {[posixpath.basename(p) for p in infos]}; using the first")
        self.infos = {posixpath.basename(p) for p in infos}
        self.dist = MemoryDistribution(tree, infos[0])
        self.meta = self.dist.metadata
        self.name = self.meta["Name"]
        version = self.meta["Version"] or ""
        debian = upstream_version(fields["Version"])
        try:
            v = Version(version)
            stale = debian is not None and (v.is_devrelease or v.release < Version(debian).release)
        except InvalidVersion:
            stale = True
        if stale:
            if not debian:
                raise LookupError(f"version {version!r} and Debian's {fields['Version']!r} are unusable")
            note(f"{suite.name}: {self.name} says version {version!r}, Debian's {fields['Version']}: {debian}")
            version = debian
        self.version = str(Version(version))
        self.requires = [Requirement(r) for r in (self.dist.requires or [])]
        self.requires_python = self.meta["Requires-Python"]


class Suite:
    def __init__(self, spec):
        self.name, self.abi, self.python_full, debdir, extradir = spec.split(":")
        self.python = tuple(int(x) for x in self.python_full.split(".")[:2])
        self.debdir, self.extradir = debdir, extradir
        self.dists = {}  # canonical name -> Dist
        self.by_package = {}  # Debian package -> canonical name

    def debs(self, directory):
        return sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".deb")) \
            if os.path.isdir(directory) else []


def load_suite(suite):
    suite.extras = Tree(suite.debs(suite.extradir))
    debs = {}
    for deb in suite.debs(suite.debdir):
        fields = deb_fields(deb)
        debs[fields["Package"]] = (deb, fields)
    for pkg, (deb, fields) in sorted(debs.items()):
        if pkg in COMPANIONS and COMPANIONS[pkg] in debs:
            continue
        comps = [c for c, main in COMPANIONS.items() if main == pkg and c in debs]
        tree = Tree([deb] + [debs[c][0] for c in comps])
        try:
            d = Dist(suite, fields, tree)
        except LookupError as e:
            note(f"{suite.name}: {pkg} skipped: {e}")
            continue
        suite.dists[canon(d.name)] = d
        for p in [pkg] + comps:
            suite.by_package[p] = canon(d.name)


def repair(suite):
    """Requirements Debian stripped come back from the package's Depends;
    bounds the suite's own packages break are relaxed; an extra loses
    requirements on what the suite does not have."""
    for key, d in sorted(suite.dists.items()):
        mentioned = {canon(r.name) for r in d.requires}
        added = []
        for group in parse_depends(d.fields.get("Depends")):
            if len(group) != 1:
                continue  # "python3-foo | python3-supported-min (>= 3.11)": a backport
            pkg, op, ver = group[0]
            dep = suite.by_package.get(pkg)
            if not dep or dep == key or dep in mentioned:
                continue
            spec = ""
            if op in (">=", ">>", "=") and upstream_version(ver):
                spec = ">=" + upstream_version(ver)
            d.requires.append(Requirement(suite.dists[dep].name + spec))
            mentioned.add(dep)
            added.append(suite.dists[dep].name + spec)
        if added:
            note(f"{suite.name}: {d.name} {d.version}: + {', '.join(added)} (Debian's Depends)")
        fixed, dropped = [], set()
        for r in d.requires:
            dep = suite.dists.get(canon(r.name))
            if dep is None:
                if r.marker is not None and "extra" in str(r.marker):
                    dropped.add(r.name)
                    continue
                fixed.append(r)
                continue
            have = Version(dep.version)
            if r.specifier and not r.specifier.contains(have, prereleases=True):
                new = Requirement(str(r))
                new.specifier = SpecifierSet(",".join(str(s) for s in r.specifier if s.contains(have, prereleases=True)))
                note(f"{suite.name}: {d.name} {d.version}: {r} -> {new} ({suite.name} has {dep.name} {dep.version})")
                r = new
            fixed.append(r)
        d.requires = fixed
        if dropped:
            note(f"{suite.name}: {d.name} {d.version}: extras without "
                 f"{', '.join(sorted(dropped, key=str.lower))} ({suite.name} has none)")


def vendor(files, name, suite, tool, triplet):
    """Copies the shared libraries the extensions in files need, beyond
    SYSTEM_LIBS, into <name>.libs/ and points the extensions' RUNPATH there,
    as auditwheel does. Returns the names of the libraries copied."""
    sos = [p for p in files if re.search(r"\.so(\.[0-9.]+)?$", p)]
    if not sos:
        return []
    libdir = wheel_name(name) + ".libs"
    search = [f"lib/{triplet}", f"usr/lib/{triplet}"]
    with tempfile.TemporaryDirectory(prefix="pyindex-") as tmp:
        def on_disk(arc):
            path = os.path.join(tmp, arc.replace("/", "__"))
            if not os.path.exists(path):
                with open(path, "wb") as f:
                    f.write(files[arc])
            return path

        def needed(arc):
            out = subprocess.run([tool, "--print-needed", on_disk(arc)], check=True, capture_output=True, text=True)
            return out.stdout.split()

        own = {posixpath.basename(p) for p in sos}
        copied, queue, missing, linked = [], list(sos), set(), set()
        while queue:
            arc = queue.pop()
            for lib in needed(arc):
                if lib in SYSTEM_LIBS or lib in own:
                    continue
                if arc in sos:
                    linked.add(arc)
                if lib in copied:
                    continue
                tree, path = next((r for r in (lookup([suite.extras], f"{d}/{lib}") for d in search) if r[0]), (None, None))
                if tree is None or path not in tree.data:
                    missing.add(lib)
                    continue
                copied.append(lib)
                files[f"{libdir}/{lib}"] = tree.data[path]
                queue.append(f"{libdir}/{lib}")
        if missing:
            raise LookupError(f"needs {', '.join(sorted(missing))}, in no package downloaded for {suite.name}")
        for arc in sorted(linked) + [f"{libdir}/{lib}" for lib in copied]:
            rel = posixpath.relpath(libdir, posixpath.dirname(arc) or ".")
            path = on_disk(arc)
            subprocess.run([tool, "--set-rpath", "$ORIGIN" if rel == "." else f"$ORIGIN/{rel}", path],
                           check=True, capture_output=True)
            with open(path, "rb") as f:
                files[arc] = f.read()
    return copied


def build_wheel(d, name, tool, platform, triplet):
    """(file name, bytes, tag, libraries copied in) of the wheel of d called name."""
    suite, trees = d.suite, [d.tree, d.suite.extras]
    files, modes = {}, {}

    def take(path, arc):
        tree, real = lookup(trees, path)
        if tree is None:
            note(f"{suite.name}: {name}: {arc} is a link to nothing in the downloaded packages; left out")
            return
        if real in tree.dirs:
            for child in tree.children(real):
                take(f"{real}/{child}", f"{arc}/{child}")
            return
        if "__pycache__/" in arc or arc.endswith((".pyc", ".pyo")):
            return
        files[arc] = tree.data[real]
        modes[arc] = tree.members[real].mode & 0o777

    for entry in d.tree.children(SITE):
        if entry not in d.infos:
            take(f"{SITE}/{entry}", entry)

    vendored = vendor(files, name, suite, tool, triplet)
    sos = [p for p in files if p.endswith(".so")]
    if sos:
        abis = {m.group(1) for f in sos for m in [re.search(r"\.cpython-(\d+)-", f)] if m}
        if abis - {suite.abi[2:]}:
            raise LookupError(f"extensions for CPython {sorted(abis)}, not {suite.abi}")
        abi3 = not abis and any(f.endswith(".abi3.so") for f in sos)
        tag = f"{suite.abi}-{'abi3' if abi3 else suite.abi}-{platform}"
    else:
        tag = "py3-none-any"

    # A fresh .dist-info: METADATA, WHEEL, entry points, RECORD.
    distinfo = f"{wheel_name(name)}-{d.version}.dist-info"
    mv = d.meta["Metadata-Version"] or "2.1"
    lines = [f"Metadata-Version: {mv if Version(mv) >= Version('2.1') else '2.1'}", f"Name: {name}",
             f"Version: {d.version}"]
    skip = {"metadata-version", "name", "version", "requires-dist", "dynamic", "license-file", "description"}
    for k, v in d.meta.items():
        if k.lower() not in skip:
            lines.append(f"{k}: " + str(v).replace("\n", "\n        "))
    lines += [f"Requires-Dist: {r}" for r in d.requires]
    body = d.meta.get_payload() if not d.meta.is_multipart() else ""
    meta = {"METADATA": "\n".join(lines) + "\n\n" + (body or ""),
            "WHEEL": "Wheel-Version: 1.0\nGenerator: shipshape scripts/pyindex.py\n"
                     f"Root-Is-Purelib: {'true' if tag == 'py3-none-any' else 'false'}\nTag: {tag}\n",
            "DEBIAN": f"{d.package} {d.fields['Version']} (Debian {suite.name})\n"}
    for extra in ("entry_points.txt", "top_level.txt"):
        text = d.dist.read_text(extra)
        if text:
            meta[extra] = text
    for k, v in meta.items():
        files[f"{distinfo}/{k}"] = v.encode("utf-8")

    record = []
    for arc in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(files[arc]).digest()).rstrip(b"=").decode()
        record.append(f"{arc},sha256={digest},{len(files[arc])}")
    record.append(f"{distinfo}/RECORD,,")
    files[f"{distinfo}/RECORD"] = ("\n".join(record) + "\n").encode()

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for arc, data in files.items():
            info = zipfile.ZipInfo(arc, ZIP_DATE)
            mode = 0o755 if arc.endswith(".so") or ".so." in arc else modes.get(arc, 0o644)
            info.external_attr = (mode | 0o100000) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return f"{wheel_name(name)}-{d.version}-{tag}.whl", buf.getvalue(), tag, vendored


# ---------------------------------------------------------------------------

def write_index(out, wheels):
    simple = os.path.join(out, "simple")
    os.makedirs(simple)
    by_name = {}
    for fname, sha, requires_python in wheels:
        by_name.setdefault(canon(fname.split("-")[0]), []).append((fname, sha, requires_python))
    links = []
    for name in sorted(by_name):
        os.makedirs(os.path.join(simple, name))
        rows = []
        for fname, sha, rp in sorted(by_name[name]):
            attr = f' data-requires-python="{html.escape(rp)}"' if rp else ""
            rows.append(f'<a href="../../wheels/{fname}#sha256={sha}"{attr}>{fname}</a><br>')
        with open(os.path.join(simple, name, "index.html"), "w") as f:
            f.write(f"<!DOCTYPE html>\n<html><head><title>Links for {name}</title></head><body>\n"
                    + "\n".join(rows) + "\n</body></html>\n")
        links.append(f'<a href="{name}/">{name}</a><br>')
    with open(os.path.join(simple, "index.html"), "w") as f:
        f.write("<!DOCTYPE html>\n<html><head><title>Simple index</title></head><body>\n"
                + "\n".join(links) + "\n</body></html>\n")


def installable(wheels, suite, platform):
    """What pip can install on the suite's Python: wheels whose tags and
    Requires-Python fit and whose requirements can be met, recursively, by such
    wheels (an approximation of pip's resolver: no conflicts between
    requirements are looked at). Returns {name: versions, newest first} and
    {wheel: why it cannot be installed}."""
    py = suite.python
    tags = {str(t) for t in packaging.tags.cpython_tags(py, [suite.abi, "abi3", "none"], [platform])}
    tags |= {str(t) for t in packaging.tags.compatible_tags(py, suite.abi, [platform])}
    env = {"python_version": f"{py[0]}.{py[1]}", "python_full_version": suite.python_full,
           "implementation_name": "cpython", "platform_python_implementation": "CPython",
           "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
           "platform_machine": platform.split("_", 1)[1], "extra": ""}
    cands = {}
    for w in wheels:
        if not any(str(t) in tags for t in packaging.tags.parse_tag(w["tag"])):
            continue
        if w["requires_python"] and not SpecifierSet(w["requires_python"]).contains(suite.python_full, prereleases=True):
            continue
        cands.setdefault(canon(w["name"]), []).append(w)
    why, changed = {}, True
    while changed:
        changed = False
        for ws in cands.values():
            for w in list(ws):
                for r in w["requires"]:
                    if r.marker and not r.marker.evaluate(env):
                        continue
                    if not any(r.specifier.contains(Version(c["version"]), prereleases=True)
                               for c in cands.get(canon(r.name), [])):
                        why[w["file"]] = f"needs {r}"
                        ws.remove(w)
                        changed = True
                        break
    got = {n: sorted({w["version"] for w in ws}, key=Version, reverse=True) for n, ws in cands.items() if ws}
    return got, why


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["build"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--patchelf", required=True)
    ap.add_argument("--platform", default="linux_x86_64")
    ap.add_argument("--triplet", default="x86_64-linux-gnu")
    ap.add_argument("--suite", action="append", required=True)
    args = ap.parse_args()
    suites = [Suite(s) for s in args.suite]
    out = args.out
    os.makedirs(os.path.join(out, "wheels"))

    global packaging, Version, InvalidVersion, Requirement, SpecifierSet
    deb = next((p for p in suites[0].debs(suites[0].debdir) if os.path.basename(p).startswith("python3-packaging_")), None)
    if deb is None:
        sys.exit("pyindex.py: python3-packaging is not among the downloaded packages")
    boot = os.path.join(out, ".packaging.zip")
    with zipfile.ZipFile(boot, "w") as z:
        tree = Tree([deb])
        for path, data in tree.data.items():
            if path.startswith(SITE + "/packaging/"):
                z.writestr(path[len(SITE) + 1:], data)
    sys.path.insert(0, boot)
    import packaging.tags  # noqa: E402
    from packaging.requirements import Requirement  # noqa: E402
    from packaging.specifiers import SpecifierSet  # noqa: E402
    from packaging.version import InvalidVersion, Version  # noqa: E402

    built, wheels = {}, []
    for suite in suites:
        load_suite(suite)
        repair(suite)
        for key, d in sorted(suite.dists.items()):
            for name in [d.name] + ALIASES.get(key, []):
                try:
                    fname, data, tag, vendored = build_wheel(d, name, args.patchelf, args.platform, args.triplet)
                except (LookupError, subprocess.CalledProcessError) as e:
                    note(f"{suite.name}: {d.package}: no wheel: {e}")
                    continue
                if fname in built:
                    continue  # the same pure-Python release from an older suite
                with open(os.path.join(out, "wheels", fname), "wb") as f:
                    f.write(data)
                built[fname] = (fname, hashlib.sha256(data).hexdigest(), d.requires_python)
                wheels.append({"file": fname, "name": name, "version": d.version, "tag": tag,
                               "requires": d.requires, "requires_python": d.requires_python})
                if vendored:
                    note(f"{suite.name}: {fname} holds {', '.join(vendored)}")
        print(f"pyindex: {suite.name}: {len(suite.dists)} distributions", file=sys.stderr)
    write_index(out, built.values())
    os.unlink(boot)

    report = []
    for suite in suites:
        got, why = installable(wheels, suite, args.platform)
        report.append(f"Python {suite.python_full} (compiled extensions from Debian {suite.name}):")
        report += [f"  {n} {', '.join(got[n])}" for n in sorted(got)]
        report += [f"  cannot be installed: {w}: {reason}" for w, reason in sorted(why.items())]
    report.append("Repairs and omissions:")
    report += ["  " + line for line in notes]
    with open(os.path.join(out, "versions.txt"), "w") as f:
        f.write("\n".join(report) + "\n")
    print(f"pyindex: {len(built)} wheels", file=sys.stderr)


if __name__ == "__main__":
    main()
