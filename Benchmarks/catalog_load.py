#!/usr/bin/env python3
"""Loading a large OSCAL catalog: ControlGap against `xmllint --noout`, in one run.

Usage: python3 Benchmarks/catalog_load.py [CATALOG.xml] [--runs N]

Builds the release binary, then times, RUNS times each and alternating:
  xmllint --noout CATALOG                       (parse only: the floor)
  controlgap catalogs                           (the shipped catalogs alone)
  controlgap catalogs --catalog CATALOG         (the shipped catalogs plus CATALOG, into the model)
and prints the median wall time and peak resident memory of each, with the ratios.
"""
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
from runs import measure  # noqa: E402
DEFAULT = os.path.join(
    ROOT, "..", "shared", "data", "nist-oscal-content", "catalogs",
    "NIST_SP-800-53_rev5_catalog.xml")


def main():
    args = sys.argv[1:]
    runs = 10
    if "--runs" in args:
        index = args.index("--runs")
        runs = int(args[index + 1])
        del args[index:index + 2]
    catalog = os.path.abspath(args[0] if args else DEFAULT)
    if not os.path.exists(catalog):
        sys.exit(f"benchmark: {catalog} does not exist")

    subprocess.run([os.path.join(ROOT, "scripts", "install-deps")], check=True)
    subprocess.run(
        ["swift", "build", "-c", "release", "--product", "controlgap"], cwd=ROOT, check=True,
        stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "controlgap")

    commands = {
        "xmllint --noout": ["xmllint", "--noout", catalog],
        "controlgap catalogs (shipped only)": [binary, "catalogs"],
        "controlgap catalogs --catalog": [binary, "catalogs", "--catalog", catalog],
    }
    results = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(measure(command))

    print(f"catalog: {os.path.relpath(catalog, ROOT)} ({os.path.getsize(catalog):,} bytes), "
          f"{runs} runs each, median wall time, peak RSS")
    medians = {}
    for name, samples in results.items():
        wall = statistics.median(s[0] for s in samples)
        rss = max(s[1] for s in samples)
        medians[name] = wall
        print(f"  {name:40s} {wall * 1000:8.1f} ms  {rss:7.1f} MiB")
    floor = medians["xmllint --noout"]
    total = medians["controlgap catalogs --catalog"]
    net = total - medians["controlgap catalogs (shipped only)"]
    print(f"ratio, whole run / xmllint:            {total / floor:.2f}")
    print(f"ratio, this catalog's share / xmllint: {net / floor:.2f}")


if __name__ == "__main__":
    main()
