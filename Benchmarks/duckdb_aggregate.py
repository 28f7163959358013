"""Runs one query in DuckDB over a CSV of access events and writes the result as CSV.

Usage (with the Python of a virtual environment that has duckdb):
  python duckdb_aggregate.py EVENTS.csv QUERY.sql OUT.csv [--threads N]

The events CSV has the header ControlGap reads (timestamp, user, control, app, role,
location, device, action, risk, outcome, path). It is exposed to the query as the table
`access_events` with the columns `controlgap sql` expects: event_time is the timestamp
converted to UTC, user_id the user column, every other column as text (empty cells are NULL).
Prints the seconds the query took.
"""
import sys
import time

import duckdb


def main():
    args = sys.argv[1:]
    threads = None
    if "--threads" in args:
        index = args.index("--threads")
        threads = int(args[index + 1])
        del args[index:index + 2]
    events, query_file, out = args
    with open(query_file, encoding="utf-8") as handle:
        query = handle.read().strip().rstrip(";")

    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    if threads:
        connection.execute(f"SET threads = {threads}")
    literal = events.replace("'", "''")
    connection.execute(f"""
        CREATE VIEW access_events AS
        SELECT CAST(CAST("timestamp" AS TIMESTAMPTZ) AS TIMESTAMP) AS event_time,
               "user" AS user_id, control, app, role, location, device, action, risk,
               outcome, path
        FROM read_csv('{literal}', header = true, all_varchar = true, quote = '"',
                      escape = '"')
    """)
    target = out.replace("'", "''")
    start = time.perf_counter()
    connection.execute(f"COPY ({query}) TO '{target}' (HEADER, DELIMITER ',')")
    print(f"{time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
