#!/usr/bin/env python3
"""Evidence bundles and their verification, against Info-ZIP and sha256sum, in one run.

Usage: python3 Benchmarks/bundle.py [--sizes 1000000,10000000] [--runs N]

Builds the release binary and, for each size, generates that many events of the example's
scenario (seed 1) into a copy of the example workspace, with an evidence file of the same size
(a made-up system log) that one control cites, so that the bundle carries a large file: raw
events themselves stay out of bundles. Then times, RUNS times each and alternating:
  controlgap aggregate WORKSPACE          the assessment's reading of the events alone
  zip -q -r OUT WORKSPACE                 Info-ZIP deflating the workspace, the archiving floor
  sha256sum WORKSPACE's files             the hashing floor
  controlgap bundle WORKSPACE             assessment, reports, the events' aggregate in place
                                          of the raw events, every other file deflated and
                                          hashed into one signed archive
  unzip -tq BUNDLE                        Info-ZIP inflating every entry of the same bundle and
                                          checking its CRC
  controlgap verify BUNDLE --key PUB      inflating every entry, SHA-256 against the manifest,
                                          both ZIP indexes compared, and the signature
and prints the median wall time and peak resident memory of each.
"""
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
from runs import generated_workspace, measure  # noqa: E402


def main():
    args = sys.argv[1:]
    sizes = [1_000_000, 10_000_000]
    runs = 3
    if "--sizes" in args:
        sizes = [int(size) for size in args[args.index("--sizes") + 1].split(",")]
    if "--runs" in args:
        runs = int(args[args.index("--runs") + 1])
    for tool in ("zip", "unzip", "sha256sum", "openssl"):
        if shutil.which(tool) is None:
            sys.exit(f"benchmark: {tool} is not installed (Debian package {tool})")

    subprocess.run(
        ["swift", "build", "-c", "release", "--product", "controlgap"], cwd=ROOT, check=True,
        stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "controlgap")
    os.environ["CONTROLGAP_HOME"] = ROOT

    print("| events | workspace | measured | median wall | peak memory |")
    print("|---:|---:|---|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="controlgap-bench-") as scratch:
        key = os.path.join(scratch, "signing.pem")
        public = os.path.join(scratch, "signing.pub")
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key], check=True)
        subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-out", public], check=True)
        for size in sizes:
            workspace, events = generated_workspace(binary, scratch, size)
            # A large evidence file, cited by the first control of the identity controls file.
            log = os.path.join(workspace, "evidence", "system-log-export.txt")
            with open(log, "w", encoding="utf-8") as handle:
                line = 0
                while handle.tell() < os.path.getsize(events):
                    handle.write("".join(
                        f"2026-11-{1 + (line + i) % 28:02d}T08:{(line + i) % 60:02d}:00Z host-"
                        f"{(line + i) % 97} sshd[{4000 + (line + i) % 5000}]: session opened "
                        f"for service-{(line + i) % 13}\n" for i in range(10000)))
                    line += 10000
            controls = os.path.join(workspace, "controls", "identity.xml")
            with open(controls, encoding="utf-8") as handle:
                text = handle.read()
            marker = "<evidence "
            cited = ('<evidence path="evidence/system-log-export.txt" effective="2026-11-01">'
                     'System log export</evidence>\n      ')
            with open(controls, "w", encoding="utf-8") as handle:
                handle.write(text.replace(marker, cited + marker, 1))
            files = sorted(
                path for path in glob.glob(os.path.join(workspace, "**"), recursive=True)
                if os.path.isfile(path))
            megabytes = sum(os.path.getsize(path) for path in files) / 1e6
            reference = os.path.join(scratch, "reference.zip")
            bundle = os.path.join(scratch, "bundle.zip")
            aggregate = os.path.join(scratch, "aggregate.csv")
            # zip adds to an existing archive; each run starts from none.
            zip_command = ["sh", "-c", 'rm -f "$1" && zip -q -r "$1" "$2"', "zip", reference,
                           workspace]
            commands = {
                "`controlgap aggregate` (events alone)": [
                    binary, "aggregate", workspace, "--quiet", "--output", aggregate],
                "`zip -q -r`": zip_command,
                "`sha256sum` of every file": ["sha256sum"] + files,
                "`controlgap bundle --sign`": [
                    binary, "bundle", workspace, "--sign", key, "--output", bundle, "--quiet"],
                "`unzip -tq` of the bundle": ["unzip", "-tq", bundle],
                "`controlgap verify --key`": [binary, "verify", bundle, "--key", public,
                                              "--quiet"],
            }
            results = {name: [] for name in commands}
            for _ in range(runs):
                for name, command in commands.items():
                    results[name].append(measure(command))
            for name, samples in results.items():
                wall = statistics.median(t for t, _ in samples)
                memory = max(m for _, m in samples)
                print(f"| {size:,} | {megabytes:,.0f} MB | {name} | {wall:.2f} s | "
                      f"{memory:,.0f} MiB |", flush=True)
            sizes_line = (f"|  | archives | zip {os.path.getsize(reference) / 1e6:,.0f} MB, "
                          f"bundle {os.path.getsize(bundle) / 1e6:,.0f} MB |  |  |")
            print(sizes_line, flush=True)
            shutil.rmtree(workspace)


if __name__ == "__main__":
    main()
