#!/usr/bin/env python3
"""Self cost (exclusive instructions) per request from a callgrind profile, by shared object and by
function, Swift names demangled.

    self-cost.py CALLGRIND_FILE REQUESTS [TOP]      (TOP functions, default 60)

Why not `callgrind_annotate`: on profiles of a Swift binary without debug info it charges every
instruction to the file of `clone` (the thread entry), so its exclusive view shows one line. This reads
the profile format itself: each cost line belongs to the `fn=` above it, and the line right after a
`calls=` line is the inclusive cost of that call, which is skipped.
"""
import collections
import re
import subprocess
import sys

COMPRESSED = re.compile(r"\((\d+)\)(?: (.*))?")


def named(table, text):
    """callgrind's name compression: `(12) name` defines id 12, `(12)` refers to it."""
    match = COMPRESSED.match(text)
    if not match:
        return text
    if match.group(2):
        table[match.group(1)] = match.group(2)
    return table.get(match.group(1), "?")


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, requests = sys.argv[1], int(sys.argv[2])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    objects, functions = {}, {}
    by_object, by_function = collections.Counter(), collections.Counter()
    current_object = current_function = None
    after_call = False
    with open(path) as profile:
        for line in profile:
            line = line.rstrip("\n")
            if line.startswith("ob="):
                current_object = named(objects, line[3:])
            elif line.startswith("fn="):
                current_function = named(functions, line[3:])
            elif line.startswith("cob="):
                named(objects, line[4:])
            elif line.startswith("cfn="):
                named(functions, line[4:])
            elif line.startswith("calls="):
                after_call = True
            elif line and (line[0].isdigit() or line[0] in "+-*"):
                if after_call:
                    after_call = False
                    continue
                fields = line.split()
                if len(fields) >= 2:
                    by_object[current_object] += int(fields[1])
                    by_function[current_function] += int(fields[1])
    total = sum(by_object.values())
    print(f"self cost per request ({requests} requests): {total // requests} instructions")
    print("\nby shared object:")
    for name, cost in by_object.most_common(10):
        print(f"{cost // requests:>10}  {name.rsplit('/', 1)[-1]}")
    names = [name for name, _ in by_function.most_common(top)]
    demangled = subprocess.run(
        ["swift", "demangle", "--simplified"], input="\n".join(names), capture_output=True, text=True
    ).stdout.split("\n")
    print(f"\nby function (top {top}):")
    for name, readable in zip(names, demangled):
        print(f"{by_function[name] // requests:>10}  {readable[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
