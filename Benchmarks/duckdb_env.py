"""The virtual environment with DuckDB from PyPI that the telemetry checks run in."""
import os
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".build", "duckdb-venv")
PYTHON = os.path.join(VENV, "bin", "python")
DUCKDB_VERSION = "1.4.4"


def ensure():
    """The venv's python, creating the venv and installing DuckDB when missing.

    Returns None, after saying why on stderr, when DuckDB cannot be installed (no PyPI).
    """
    check = [PYTHON, "-c", "import duckdb"]
    if os.path.exists(PYTHON) and subprocess.run(check, capture_output=True).returncode == 0:
        return PYTHON
    if not os.path.exists(PYTHON):
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    install = subprocess.run(
        [PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         f"duckdb=={DUCKDB_VERSION}"], capture_output=True, text=True)
    if install.returncode != 0:
        reason = (install.stderr.strip().splitlines() or ["pip failed"])[-1]
        print(f"duckdb: cannot install duckdb {DUCKDB_VERSION} from PyPI: {reason}",
              file=sys.stderr)
        return None
    return PYTHON
