#!/usr/bin/env python3
"""Makes db/zengin/zengin-YYYY-MM-DD.tsv from PyPI's `zengin-code` package (issue 25).

The package (MIT, Sho Kusano) carries the Zengin bank and branch codes with their kana names
(banks.json and one branches/BANK.json per bank). This script keeps only what Bursar needs, in
one small file: one line per bank (`B`, code, kana) and one per branch (`R`, bank code, branch
code, kana), the kana as the package has it (full-width; Sources/Banking converts it to
half-width when it writes the bank file). The package's own files are not committed.

Usage:
    d=$(mktemp -d); pip download --no-deps -d "$d" zengin-code==1.1.0.20260824
    python3 scripts/zengin-data.py "$d"/zengin_code-1.1.0.20260824-py2.py3-none-any.whl

It checks the counts the interface names (1,146 banks, 31,229 branches: every branch file of
the package, also the 2,285 branches of 241 banks that banks.json no longer lists) and refuses
to write a file that differs.
"""
import json
import os
import sys
import zipfile

EXPECTED = {"20260824": (1146, 31229)}
DATA = "zengin_code/source-data/data/"


def main(wheel):
    with zipfile.ZipFile(wheel) as archive:
        stamp = archive.read(DATA + "updated_at").decode().strip()
        date = stamp[:8]
        banks = json.loads(archive.read(DATA + "banks.json"))
        branch_files = sorted(n for n in archive.namelist() if n.startswith(DATA + "branches/") and n.endswith(".json"))
        lines = []
        for code in sorted(banks):
            lines.append("B\t%s\t%s" % (code, banks[code]["kana"]))
        branches = 0
        for name in branch_files:
            bank = os.path.basename(name)[:-5]
            for code, branch in sorted((json.loads(archive.read(name)) or {}).items()):
                lines.append("R\t%s\t%s\t%s" % (bank, code, branch["kana"]))
                branches += 1
    expected = EXPECTED.get(date)
    if expected is None or expected != (len(banks), branches):
        sys.exit("zengin-code data of %s: %d banks, %d branches; expected %s" % (date, len(banks), branches, expected))
    for line in lines:
        if any(c in line for c in "\r\n") or line.count("\t") > 3:
            sys.exit("a kana name holds a tab or a line break: %r" % line)
    iso = "%s-%s-%s" % (date[:4], date[4:6], date[6:])
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "db", "zengin", "zengin-%s.tsv" % iso)
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        out.write("# zengin-code %s (PyPI zengin-code, MIT): %d banks, %d branches; made by scripts/zengin-data.py\n"
                  % (stamp, len(banks), branches))
        out.write("\n".join(lines) + "\n")
    print("wrote %s: %d banks, %d branches" % (os.path.normpath(target), len(banks), branches))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
