#!/usr/bin/env python3
"""Aggregating access events: ControlGap against DuckDB over the same CSV, in one run.

Usage: python3 Benchmarks/telemetry.py [--sizes 1000000,10000000] [--runs N]

Builds the release binary and, for each size, generates that many events of the example's
scenario (seed 1) into a scratch workspace, then times, RUNS times each and alternating:
  wc -l EVENTS.csv                                     the I/O floor
  controlgap aggregate WORKSPACE                       parse, classify, pseudonymise, aggregate
  DuckDB: GROUP BY control, app, action, outcome       COUNT(*) and COUNT(DISTINCT user)
  DuckDB: the query of `controlgap sql`                the same aggregate as ControlGap's
and prints the median wall time and peak resident memory of each, with ratios to ControlGap.
DuckDB runs in a fresh process per run, from the virtual environment that
scripts/check-aggregate-sql also uses (.build/duckdb-venv), with its default threads.
"""
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
import duckdb_env  # noqa: E402
from runs import generated_workspace, measure  # noqa: E402

SIMPLE_QUERY = """
SELECT control, app, action, outcome, COUNT(*) AS events, COUNT(DISTINCT user_id) AS users
FROM access_events GROUP BY control, app, action, outcome
"""


def main():
    args = sys.argv[1:]
    sizes = [1_000_000, 10_000_000]
    runs = 3
    if "--sizes" in args:
        sizes = [int(size) for size in args[args.index("--sizes") + 1].split(",")]
    if "--runs" in args:
        runs = int(args[args.index("--runs") + 1])

    subprocess.run([os.path.join(ROOT, "scripts", "install-deps")], check=True)
    subprocess.run(
        ["swift", "build", "-c", "release", "--product", "controlgap"], cwd=ROOT, check=True,
        stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "controlgap")
    python = duckdb_env.ensure()
    if python is None:
        sys.exit("benchmark: DuckDB is not available")
    os.environ["CONTROLGAP_HOME"] = ROOT
    runner = os.path.join(ROOT, "Benchmarks", "duckdb_aggregate.py")

    print("| events | file | measured | median wall | query alone | peak memory | time vs "
          "ControlGap |")
    print("|---:|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="controlgap-bench-") as scratch:
        for size in sizes:
            workspace, events = generated_workspace(binary, scratch, size)
            megabytes = os.path.getsize(events) / 1e6
            simple = os.path.join(scratch, "simple.sql")
            with open(simple, "w", encoding="utf-8") as handle:
                handle.write(SIMPLE_QUERY)
            full = os.path.join(scratch, "full.sql")
            with open(full, "w", encoding="utf-8") as handle:
                subprocess.run([binary, "sql", workspace], check=True, stdout=handle)
            out = os.path.join(scratch, "out.csv")
            commands = {
                "wc -l": ["wc", "-l", events],
                "controlgap aggregate": [binary, "aggregate", workspace, "--quiet", "--output",
                                         out],
                "DuckDB GROUP BY control, app, action, outcome": [python, runner, events,
                                                                   simple, out],
                "DuckDB, the `controlgap sql` query": [python, runner, events, full, out],
            }
            results = {name: [] for name in commands}
            for _ in range(runs):
                for name, command in commands.items():
                    results[name].append(measure(command, keep_output=True))
            ours = statistics.median(t for t, _, _ in results["controlgap aggregate"])
            for name, samples in results.items():
                wall = statistics.median(t for t, _, _ in samples)
                memory = max(m for _, m, _ in samples)
                alone = ""
                if name.startswith("DuckDB"):
                    alone = f"{statistics.median(float(o) for _, _, o in samples):.2f} s"
                print(f"| {size:,} | {megabytes:,.0f} MB | {name} | {wall:.2f} s | {alone} | "
                      f"{memory:,.0f} MiB | {wall / ours:.2f}x |", flush=True)
            os.remove(events)


if __name__ == "__main__":
    main()
