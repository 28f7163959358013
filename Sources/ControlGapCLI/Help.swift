/// The text of `--help` for each command.
enum Help {
  static let main = """
    controlgap: gap reports from framework catalogs, observed controls and bypass findings

    usage: controlgap <command> [options]

    commands:
      report           assess a workspace and write the gap reports and results as data
      validate         check a workspace and its catalogs, writing nothing
      bundle           write the reports, inputs and cited evidence as one ZIP, optionally
                       signed
      verify           check a bundle against its manifest and signature
      catalogs         list the framework catalogs, or show one requirement
      aggregate        read a workspace's access events and write their aggregate (CSV)
      sql              print the SQL that computes the same aggregate where the events live
      generate-events  write a made-up access-event log to try the telemetry stage on

    options:
      -h, --help     show help (also after a command: controlgap report --help)
      --version      show the version

    exit codes: 0 ok, 64 usage error, 65 bad input, 66 missing input, 73 cannot write output
    """

  static let report = """
    usage: controlgap report [WORKSPACE] [options]

    Assesses WORKSPACE (default: the bundled example, Examples/harbourline) against the
    frameworks it names and writes gap-report.md, gap-report.html, results.json,
    traceability.csv and assessment-results.xml (OSCAL) to OUTPUT/<period>/.

    options:
      --catalog [KEY=]FILE  add an OSCAL catalog (XML) as a framework in scope; repeatable;
                            KEY names it (default: the catalog's own key or its file name)
      --as-of DATE          assess as of DATE (YYYY-MM-DD) instead of the period's last day
      --output DIR          where reports go (default: Reports)
      --templates DIR       use DIR's templates in place of the built-in ones of the same
                            file name (gap-report.md.mustache, gap-report.html.mustache,
                            partials); the others stay built-in
      --quiet               no progress lines on stderr
      -h, --help            show this help

    exit codes: 0 ok, 64 usage error, 65 bad input, 66 missing input, 73 cannot write output
    """

  static let bundle = """
    usage: controlgap bundle [WORKSPACE] [options]

    Assesses WORKSPACE (default: the bundled example) as `report` does and writes one ZIP
    archive holding catalogs/ (the catalog files assessed against), evidence/ (every cited
    evidence file that exists), reports/ (the rendered reports, OSCAL assessment results
    included), workspace/ (every workspace file read, except the pseudonym secret and the raw
    event files, whose user identifiers stay out: their aggregate goes in their place) and
    manifest.json (each entry's size and SHA-256, each catalog's version and SHA-256, each
    withheld event file's SHA-256, the period, the as-of day, the tool version and the
    telemetry window). With --sign, the manifest is signed and signature.json holds the
    Ed25519 signature and public key. Bundling the same inputs with the same key twice gives
    the same bytes.

    options:
      --catalog [KEY=]FILE  add an OSCAL catalog (XML) as a framework in scope; repeatable
      --as-of DATE          assess as of DATE (YYYY-MM-DD) instead of the period's last day
      --templates DIR       render the reports with DIR's templates, as `report` does
      --sign KEY            sign the manifest with the Ed25519 private key in the PEM file
                            KEY (made by `openssl genpkey -algorithm ed25519 -out KEY`)
      --output FILE         where the archive goes
                            (default: Reports/<period>/evidence-bundle.zip)
      --quiet               no progress lines on stderr
      -h, --help            show this help

    exit codes: 0 ok, 64 usage error, 65 bad input, 66 missing input, 73 cannot write output
    """

  static let verify = """
    usage: controlgap verify BUNDLE [options]

    Checks the ZIP archive BUNDLE, as `bundle` writes it, without extracting it or writing
    anything: the archive must have the plain layout `bundle` writes (so that any unzip tool
    sees what was checked), every entry must be a regular file at a relative path without
    `..`, manifest.json must parse, every file it lists must be present with the recorded
    size and SHA-256, nothing may be unlisted, and each catalog it records must match its
    entry. A signature.json must hold a valid Ed25519 signature of manifest.json.

    Without --key, a signed bundle is checked against the public key it carries, which shows
    the bundle unchanged since signing but not who signed; compare the printed fingerprint,
    or pass --key. With --key, the bundle must be signed by that key.

    Prints `BUNDLE: verified, N files, ...`, or one `BUNDLE: error: message` line per
    problem.

    options:
      --key PUB      the signer's Ed25519 public key in a PEM file
                     (made by `openssl pkey -in KEY -pubout -out PUB`)
      --quiet        no progress lines on stderr
      -h, --help     show this help

    exit codes: 0 verified, 64 usage error, 65 bundle does not match its manifest or
    signature, or a bad key, 66 missing file, key or not a ZIP archive
    """

  static let validate = """
    usage: controlgap validate [WORKSPACE] [options]

    Checks WORKSPACE (default: the bundled example) and its catalogs as `report` would, prints
    every problem as path:line:col: severity: message, and writes nothing.

    options:
      --catalog [KEY=]FILE  add an OSCAL catalog (XML) as a framework in scope; repeatable
      --as-of DATE          assess as of DATE (YYYY-MM-DD)
      --quiet               no progress lines on stderr
      -h, --help            show this help

    exit codes: 0 valid, 64 usage error, 65 bad input, 66 missing input
    """

  static let aggregate = """
    usage: controlgap aggregate [WORKSPACE] [options]

    Reads the access events in WORKSPACE/events (and any files in WORKSPACE/aggregates) over
    the period up to the assessment date, and writes their aggregate per control, dimension
    and day as CSV: the format that WORKSPACE/aggregates accepts and that `controlgap sql`
    computes in a database. No user identifier appears in it.

    options:
      --as-of DATE   count events up to DATE (YYYY-MM-DD) instead of the period's last day
      --output FILE  write to FILE (default: standard output)
      --quiet        no progress lines on stderr
      -h, --help     show this help

    exit codes: 0 ok, 64 usage error, 65 bad input, 66 missing input, 73 cannot write output
    """

  static let sql = """
    usage: controlgap sql [WORKSPACE] [options]

    Prints a plain SQL query (Spark SQL, Trino, BigQuery, DuckDB) that computes, from a table
    of access events, the same aggregate that `controlgap aggregate` writes, with WORKSPACE's
    classification settings and period written into it. Save its result as CSV in
    WORKSPACE/aggregates/ for ControlGap to read.

    The query reads a table access_events with the columns event_time (a UTC timestamp),
    user_id, control, app, role, location, device, action, risk, outcome and path.

    options:
      --as-of DATE      count events up to DATE (YYYY-MM-DD) instead of the period's last day
      --dialect NAME    bigquery, duckdb, spark or trino (default: duckdb): the name of the
                        text type, how quotes and backslashes are escaped in literals, and
                        the function that finds a marker in a path
      --quiet           no progress lines on stderr
      -h, --help        show this help

    exit codes: 0 ok, 64 usage error, 65 bad input, 66 missing input
    """

  static let catalogs = """
    usage: controlgap catalogs [FRAMEWORK [REQUIREMENT]] [options]

    With no argument, lists the framework catalogs with their requirement counts. With
    FRAMEWORK, lists its requirements. With FRAMEWORK and REQUIREMENT (an id or label such as
    PR.AA-05, pr.aa-5 or GOVERN 1.1), shows that requirement.

    options:
      --catalog [KEY=]FILE  add an OSCAL catalog (XML); repeatable
      -h, --help            show this help

    exit codes: 0 ok, 64 usage error or unknown framework or requirement, 65 bad input,
    66 missing input
    """

  static let generateEvents = """
    usage: controlgap generate-events --seed N --events N --period YYYY-Qn [options]

    Writes N access events of Harbourline Logistics, the organisation of the bundled example,
    spread over the UTC days of the period, in the CSV or JSON Lines form the telemetry stage
    reads. The same seed always gives the same bytes. Events are not sorted by time.

    options:
      --seed N          any whole number from 0 to 18446744073709551615
      --events N        how many events, from 1 to 1000000000
      --period YYYY-Qn  the quarter the events fall in
      --format FORMAT   csv or jsonl (default: from the --output extension, else csv)
      --output FILE     write to FILE, whole or not at all (default: standard output)
      --quiet           no progress lines on stderr
      -h, --help        show this help

    exit codes: 0 ok, 64 usage error, 73 cannot write output
    """
}
