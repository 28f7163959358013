"""What the benchmark scripts share: timing one command, and a copy of the example workspace
with generated events."""
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure(command, keep_output=False):
    """Wall seconds and peak RSS in MiB of one run, and its standard output as text when
    `keep_output`; a failed run stops the benchmark."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE if keep_output else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    output = b""
    if keep_output:
        output = process.stdout.read()
        process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"benchmark: {' '.join(command)} failed")
    if keep_output:
        return elapsed, usage.ru_maxrss / 1024, output.decode()
    return elapsed, usage.ru_maxrss / 1024


def generated_workspace(binary, scratch, size):
    """A copy of the example workspace under `scratch` whose events are `size` generated
    events of its scenario (seed 1) in events/generated.csv; returns the workspace and that
    file."""
    workspace = os.path.join(scratch, f"workspace-{size}")
    shutil.copytree(
        os.path.join(ROOT, "Examples", "harbourline"), workspace,
        ignore=shutil.ignore_patterns("events", "aggregates"))
    os.makedirs(os.path.join(workspace, "events"))
    events = os.path.join(workspace, "events", "generated.csv")
    subprocess.run(
        [binary, "generate-events", "--seed", "1", "--events", str(size), "--period",
         "2026-Q4", "--output", events, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    return workspace, events
