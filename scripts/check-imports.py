#!/usr/bin/env python3
"""Checks the package's import rules (docs/architecture.md), from `swift package dump-package` and the
sources themselves:

1. every module a file imports is declared as a dependency of its target (nothing works by accident
   through a dependency's dependencies);
2. imports flow one way: flowgate -> FlowgateServer -> FlowgateProviders -> FlowgateCore; Core knows no
   HTTP server, client or upstream; providers know nothing of the server's pipeline; the emulators import
   neither providers nor server nor core (sharing wire types would let an emulator repeat an adapter's
   mistake instead of catching it).

Exits 1 listing every violation. Run from the repository root: `python3 scripts/check-imports.py`.
"""
import json
import pathlib
import re
import subprocess
import sys

# Modules of the toolchain itself, never declared in Package.swift.
SYSTEM = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Synchronization", "Glibc", "Musl",
    "Darwin", "Testing", "XCTest", "_Concurrency", "os",
}

# What each of the package's own targets may import from the package and its dependencies, beyond its
# declared dependencies being the only source (rule 1). None means "no restriction beyond rule 1".
FORBIDDEN = {
    "FlowgateCore": {"FlowgateProviders", "FlowgateServer", "FlowgateEmulators", "Hummingbird", "HummingbirdCore",
                     "AsyncHTTPClient", "NIOCore", "NIOPosix", "NIOHTTP1", "PostgresNIO", "Yams", "Logging"},
    "FlowgateProviders": {"FlowgateServer", "FlowgateEmulators", "Hummingbird", "HummingbirdCore", "AsyncHTTPClient",
                          "NIOCore", "NIOPosix", "NIOHTTP1", "PostgresNIO", "Metrics", "Prometheus"},
    "FlowgateServer": {"FlowgateEmulators", "FlowgateDemoConfig"},
    "FlowgateEmulators": {"FlowgateCore", "FlowgateProviders", "FlowgateServer"},
}

IMPORT = re.compile(r"^\s*(?:@testable\s+|@_exported\s+|(?:public|internal|package|private|fileprivate)\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)


def main() -> int:
    package = json.loads(subprocess.check_output(["swift", "package", "dump-package"], stderr=subprocess.DEVNULL))
    problems = []
    for target in package["targets"]:
        name = target["name"]
        declared = set()
        for dependency in target["dependencies"]:
            (kind, value), = dependency.items()
            declared.add(value[0])
        default = {"test": "Tests", "executable": "Sources"}.get(target["type"], "Sources")
        root = pathlib.Path(target.get("path") or f"{default}/{name}")
        for file in sorted(root.rglob("*.swift")):
            for module in IMPORT.findall(file.read_text(encoding="utf-8")):
                if module in SYSTEM or module == name:
                    continue
                if module not in declared:
                    problems.append(f"{file}: imports {module}, which target {name} does not declare")
                if module in FORBIDDEN.get(name, set()):
                    problems.append(f"{file}: {name} must not import {module} (imports flow one way)")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} import problem(s)")
        return 1
    print("imports: every module declared by its target; one-way rules hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
