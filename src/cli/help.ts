export const MAIN_HELP = `conform — contract and conformance suite for user-account update APIs

Usage: conform <command> [options]

Commands:
  run          Run the conformance checks against a target and write the reports
  check        Validate specs, API descriptions and the config; run nothing
  serve        Start the embedded reference target standalone
  deviations   List the reference target's deviations (for --deviate)
  self-check   Measure the suite's strength: run it against the reference under every deviation
  merge        Combine the reports of sharded runs (conform run --shard i/n) into one

Run 'conform <command> --help' for a command's options.

Exit codes:
  0  conformant: no MUST behaviour failed
  1  not conformant: at least one MUST check failed (or a SHOULD check, with --strict)
  2  bad usage, spec or config (nothing was sent to any target)
  3  the target could not be reached or authenticated (a pipeline problem, not a verdict)
`

export const RUN_HELP = `conform run — run the conformance checks against a target

Usage: conform run [options]

Options:
  --target NAME      Target from the config (default: the config's defaultTarget, normally
                     'reference': the embedded reference, started in-process on a free
                     loopback port with a fresh database)
  --config FILE      Config file (default: conform.config.yaml in the project)
  --specs DIR        Spec folder: behaviours.yaml and <api>/api.yaml + specs (default: the project's specs/)
  --api NAME,…       Only these APIs (e.g. inforouter)
  --binding NAME,…   Only these bindings: http-get, http-post, soap11, soap12, rest-json
  --covers ID,…      Only checks covering these behaviour IDs (e.g. IE-4,IC-3)
  --seed N           Seed for generated data; the same seed gives the same data (default: random,
                     printed in the summary and conformance.json so a run can be reproduced)
  --out DIR          Where reports go (default: reports)
  --strict           SHOULD failures fail the run (default: they are warnings)
  --deviate NAME,…   Reference target only: apply these deliberate deviations (see 'conform deviations')
  --repeat N         Run each check N times, each run with its own seed (derived from --seed and
                     the run number); a check is reported once, with how its N runs went
  --shard I/N        Run only shard I of N: every N-th planned check, starting at the I-th (the same
                     --seed on every shard; combine the shards' reports with 'conform merge')
  -h, --help         This help

Checks run concurrently up to the target's limits.concurrency, never two at once on the same fixture
account, and requests start at most limits.requestsPerSecond per second.

Writes DIR/conformance.json (the machine-readable verdict) and DIR/matrix.md, and prints
progress and a behaviour × binding table.
`

export const MERGE_HELP = `conform merge — combine the reports of sharded runs

Usage: conform merge [--out DIR] [--config FILE] [--specs DIR] SHARD_DIR…

Reads each SHARD_DIR/conformance.json and exchanges.har (written by 'conform run --shard i/n'),
and writes into DIR (default reports): conformance.json with the summary, behaviour matrix and
coverage re-derived from all checks, matrix.md, matrix.html, junit.xml, exchanges.har, and
allure-results/ holding every shard's Allure results (for 'allure generate DIR/allure-results').

The shards must come from one target and seed, hold each check at most once, and, when they say
which shard they are, be all N of them. Exit codes as for 'conform run': 0 conformant, 1 not,
2 bad usage or unreadable shards.
`

export const CHECK_HELP = `conform check — validate everything, run nothing

Usage: conform check [--config FILE] [--specs DIR]

Loads specs/behaviours.yaml, every specs/<api>/api.yaml, every spec and the config, and reports
each mistake as file:line:column with what was expected. Exit 0 when all is well, 2 otherwise.
`

export const SERVE_HELP = `conform serve — the embedded reference target, standalone

Usage: conform serve [options]

Options:
  --port N           Port to listen on (default: 8080; 0 lets the OS pick)
  --host ADDR        Address to bind (default: 127.0.0.1)
  --db FILE          SQLite database file (default: in memory, gone when the process ends)
  --deviate NAME,…   Apply deliberate deviations (see 'conform deviations')
  --print-control-key  Print the key of the provisioning endpoint (/__reference/…)
  -h, --help         This help

Serves all APIs at their documented paths (infoRouter: /srv.asmx, WSDL at /srv.asmx?WSDL).
Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
`

export const DEVIATIONS_HELP = `conform deviations — list the reference target's deliberate deviations

Usage: conform deviations [--json]

Each deviation breaks one documented behaviour the way a real implementation might.
Apply with 'conform run --deviate NAME' or 'conform serve --deviate NAME'.
`

export const SELF_CHECK_HELP = `conform self-check — measure what the suite catches

Usage: conform self-check [--deviate NAME,…] [--seed N] [--parallel N] [--out DIR]

Runs the whole suite against the plain embedded reference (every check must pass), then once per
deviation against a fresh reference with that deviation applied. A deviation is caught when, for each
behaviour it declares, at least one check fails on that behaviour; a false alarm is a failure that
names none of the declared behaviours.

Prints "caught N of N deviations, M false alarms" and writes DIR/self-check.json (default reports/):
per deviation the declared behaviours, the ones caught and missed, the failing checks and the false
alarms.

Options:
  --deviate NAME,…   Only these deviations (default: all; see conform deviations)
  --seed N           Seed for generated data (default 42)
  --parallel N       References running at once (default 4)
  --out DIR          Where self-check.json goes (default reports)

Exit codes: 0 every deviation caught, no false alarm, plain reference conformant; 1 otherwise;
2 bad usage.
`
