import { EXIT_CODES_HELP } from '../report/verdict.ts'

export const MAIN_HELP = `conform — contract and conformance suite for user-account update APIs

Usage: conform <command> [options]

Commands:
  run          Run the conformance checks against a target and write the reports
  compare      Vendor migration: run the checks against a baseline and a candidate, report what differs
  check        Validate specs, API descriptions and the config; run nothing (--online: log the accounts in)
  init         Write a commented config for a staging target: its APIs, fixture accounts, variables
  serve        Start the embedded reference target standalone (--write-config: seeded accounts, a target config)
  deviations   List the reference target's deviations (for --deviate)
  variations   List the reference target's variations: changes the documentation allows (for --vary)
  self-check   Measure the suite's strength: run it against the reference under every deviation
  restore      Put back fixture users an interrupted run may have left changed (replays the journal)
  merge        Combine the reports of sharded runs (conform run --shard i/n) into one

Run 'conform <command> --help' for a command's options.

${EXIT_CODES_HELP}`

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
  --spec ID|FILE,…   Only these specs, by id (inforouter.update-user-email.same-email-is-noop) or file
                     (specs/inforouter/update-user-email/same-email-is-noop.yaml); only their cells count
  --seed N           Seed for generated data; the same seed gives the same data (default: random,
                     printed in the summary and conformance.json so a run can be reproduced)
  --out DIR          Where reports go (default: reports)
  --strict           SHOULD failures fail the run (default: they are warnings)
  --deviate NAME,…   Reference target only: apply these deliberate deviations (see 'conform deviations')
  --vary NAME,…      Reference target only: apply these variations the documentation allows (see 'conform variations')
  --repeat N         Run each check N times, each run with its own seed (derived from --seed and
                     the run number); a check is reported once, with how its N runs went
  --env-file FILE    Read NAME=value lines into the environment first (variables already set win)
  --shard I/N        Run only shard I of N: every N-th planned check, starting at the I-th (the same
                     --seed on every shard; combine the shards' reports with 'conform merge')
  -h, --help         This help

Checks run concurrently, never two at once on the same fixture account; at most limits.concurrency
requests are in flight for the whole target, starting at most limits.requestsPerSecond per second.

Writes into DIR (default reports): conformance.json (the machine-readable verdict), matrix.html
and matrix.md (behaviour × binding: passed, failed, warned or not verified, with the reason),
junit.xml (a check not run is <skipped> with the reason), exchanges.har (every HTTP exchange,
redacted), allure-results/ ('npm run report' builds the HTML), journal.jsonl (fixture snapshots);
prints progress and the behaviour × binding table.

Before any check on a configured target: every base URL is reached, and every fixture account
the run will use logs in and is read back (exit 3 naming the API, role, account and variables
otherwise), also when writes are not allowed.

Environment: HTTPS_PROXY, HTTP_PROXY, NO_PROXY (proxies for configured targets);
NODE_EXTRA_CA_CERTS, NODE_USE_SYSTEM_CA=1 (trusted roots, besides a target's tls.ca).
A staging target step by step: docs/staging.md.

Safety: on a target without 'allowWrites: true' only read-only checks run; the cells of write
checks are 'not verified: writes not allowed', and the run exits 4 (incomplete), not 0. Before a check touches a fixture account, the account's state
goes to DIR/journal.jsonl; after the check it is restored and read back to verify. Ctrl-C
(SIGINT) or SIGTERM stops the run: checks under way restore their users, reports are written,
exit 130 (143 for SIGTERM); a second signal stops at once. A run refuses to start (exit 2) while
DIR/journal.jsonl holds users a killed run did not restore: run 'conform restore' first.

${EXIT_CODES_HELP}`

export const MERGE_HELP = `conform merge — combine the reports of sharded runs

Usage: conform merge [--out DIR] [--config FILE] [--specs DIR] SHARD_DIR…

Reads each SHARD_DIR/conformance.json and exchanges.har (written by 'conform run --shard i/n'),
and writes into DIR (default reports): conformance.json with the summary, behaviour matrix and
coverage re-derived from all checks, matrix.md, matrix.html, junit.xml, exchanges.har, and
allure-results/ holding every shard's Allure results (for 'allure generate DIR/allure-results').

The shards must come from one target and seed, hold each check at most once, and, when they say
which shard they are, be all N of them. Exit codes as for 'conform run' (the verdict of the
merged checks); 2 also for unreadable or mismatched shards.

${EXIT_CODES_HELP}`

export const CHECK_HELP = `conform check — validate everything, run nothing

Usage: conform check [--config FILE] [--specs DIR] [--target NAME [--online]]

Loads specs/behaviours.yaml, every specs/<api>/api.yaml, every spec and the config, and reports
each mistake as file:line:column with what was expected. Exit 0 when all is well, 2 otherwise
(a --config file that does not exist is CONFIG_NOT_FOUND).

  --target NAME      Also: every \${env:NAME} the target names is set (ENV_MISSING at its place otherwise)
  --online           Also: the run's preflight, nothing written: every base URL answers, every fixture
                     account the checks use logs in and is read back, each listed (exit 3 naming the
                     API, role, account and variables of one that fails)
`

export const SERVE_HELP = `conform serve — the embedded reference target, standalone

Usage: conform serve [options]

Options:
  --port N           Port to listen on (default: 8080; 0 lets the OS pick)
  --host ADDR        Address to bind (default: 127.0.0.1)
  --db FILE          SQLite database file (default: in memory, gone when the process ends); its
                     control key is kept in FILE.control-key, the same on every start
  --write-config FILE  Seed fixture accounts on every API (the roles, counts and placements the
                     checks need) and write a target config for this reference to FILE, the
                     credentials as \${env:…} references, their values in FILE.env (mode 600);
                     then: conform run --config FILE --target local --env-file FILE.env
  --target NAME      The target's name in that config (default local)
  --deviate NAME,…   Apply deliberate deviations (see 'conform deviations')
  --vary NAME,…      Apply variations the documentation allows (see 'conform variations')
  --print-control-key  Print the key of the provisioning endpoint (/__reference/…)
  --tls-cert FILE    Serve HTTPS with this certificate (PEM; with its intermediates after it)
  --tls-key FILE     The certificate's private key (PEM)
  --client-ca FILE   Require a client certificate issued by this CA (mTLS); others are refused
                     during the TLS handshake
  -h, --help         This help

Serves all APIs at their documented paths (infoRouter: /srv.asmx, WSDL at /srv.asmx?WSDL).
Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
`

export const DEVIATIONS_HELP = `conform deviations — list the reference target's deliberate deviations

Usage: conform deviations [--json]

Each deviation breaks one documented behaviour the way a real implementation might.
Apply with 'conform run --deviate NAME' or 'conform serve --deviate NAME'.
`

export const VARIATIONS_HELP = `conform variations — list the reference target's variations

Usage: conform variations [--json]

Each variation changes the reference in a way the documentation allows (another envelope prefix,
chunked answers, 415 instead of 400, …), and names the source that allows it. The suite must raise
no alarm against any of them. Apply with 'conform serve --vary NAME' or 'conform run --vary NAME'.
`

export const SELF_CHECK_HELP = `conform self-check — measure what the suite catches, and that it raises no false alarm

Usage: conform self-check [--deviate NAME,…] [--vary NAME,…] [--seed N] [--parallel N] [--out DIR]

Runs the whole suite against the plain embedded reference (every check must pass), then once per
deviation and once per variation, each against a fresh reference. A deviation is caught when, for each
behaviour it declares, at least one check fails on that behaviour; a false alarm is a failure that
names none of the declared behaviours. A variation changes the reference in a way the documentation
allows: any check that fails or warns against it is an alarm.

Prints "caught N of N deviations, M false alarms; K of V variations raised an alarm" and writes
DIR/self-check.json (default reports/): per deviation the declared behaviours, the ones caught and
missed, the failing checks and the false alarms; per variation its alarms (check, behaviours, message).

Options:
  --deviate NAME,…   Only these deviations (default: all; see conform deviations)
  --vary NAME,…      Only these variations (default: all; see conform variations). Naming only
                     deviations runs no variation, and naming only variations no deviation
  --seed N           Seed for generated data (default 42)
  --parallel N       References running at once (default 4)
  --out DIR          Where self-check.json goes (default reports)

Exit codes: 0 every deviation caught, no false alarm, no variation alarmed, plain reference
conformant; 1 otherwise; 2 bad usage.
`

export const COMPARE_HELP = `conform compare — what behaves differently between two targets (vendor migration)

Usage: conform compare --baseline TARGET --candidate TARGET [options]

Runs the same checks with the same seed against the baseline twice and the candidate once (each run in
its own process, like conform run), then compares them check by check and answer by answer:
  regression    passed on the baseline, fails on the candidate: a BLOCKER
  fix           failed on the baseline, passes on the candidate
  both failing  fails on both (the messages are shown side by side)
  differs       passes on both, but the answers differ (an error text, an extra field, a changed format)
  unstable      passed in one baseline run and failed in the other: the baseline itself is not stable
Noise is learned, not configured: answer fields that differ between the baseline's own two runs
(generated IDs, timestamps, tickets) are ignored; if only their values differ and their format holds,
their format is still compared. SOAP APIs' WSDLs are compared too: operations, elements, types,
namespaces and SOAPActions, each change rated by what a generated client would notice.

Each target's own users (provisioned or fixture accounts) are mapped onto their roles in each check:
user data (logins, IDs, e-mails, names) is never a difference. Only the APIs both targets offer are
compared; the others are listed as not compared. Both targets are checked before any run (exit 3).

Options:
  --baseline NAME    The target migrated from (from the config; reference: the embedded reference,
                     even in a config that does not define it)
  --candidate NAME   The target migrated to
  --deviate NAME,…   When the candidate is the embedded reference: apply these deviations to it
  --config FILE      Config file (default: conform.config.yaml in the project)
  --env-file FILE    Read NAME=value lines into the environment first (variables already set win)
  --specs DIR        Spec folder (default: the project's specs/)
  --api NAME,…       Only these APIs
  --binding NAME,…   Only these bindings
  --covers ID,…      Only checks covering these behaviours
  --seed N           Seed for generated data, the same for all three runs (default: random, printed)
  --strict           SHOULD failures count as failures
  --out DIR          Where reports go (default: reports)
  -h, --help         This help

Writes DIR/migration.json, DIR/migration.md and DIR/migration.html (side by side, answers diffed), and
the three runs' own reports under DIR/compare/ (baseline-1, baseline-2, candidate). The candidate's
Allure results mark regressions (category "Regressions", tag regression, severity blocker); DIR/compare/
allurerc.mjs generates them with a history of their own, apart from the main runs'.

Exit codes: 0 no blocker, 1 at least one blocker (a regression or a WSDL change that breaks a
generated client), 2 bad usage, spec or config, 3 a target cannot be used (unreachable, or a fixture
account that cannot log in), found before any run.
`

export const RESTORE_HELP = `conform restore — put back what an interrupted run changed

Usage: conform restore [--journal FILE | --out DIR] [--target NAME] [--config FILE] [--env-file FILE] [--abandon]

Replays the journal a 'conform run' keeps (DIR/journal.jsonl): every fixture user with a snapshot
that was not restored and verified (the run was killed, or the restore failed) is read back; when
it differs from the snapshot it is restored with the API's restore call and read back again.
Needs the same config and environment variables (credentials) as the run.

Options:
  --journal FILE     The journal (default: DIR/journal.jsonl)
  --out DIR          The run's output folder (default: reports)
  --target NAME      Only restore if the journal's users belong to this target (default: the journal's)
  --config FILE      Config file (default: conform.config.yaml in the project)
  --env-file FILE    Read NAME=value lines into the environment first (variables already set win), as the run did
  --abandon          Restore nothing: mark every open snapshot abandoned (after putting the users back
                     by hand), so runs may start again
  --force            Replay even though the process that wrote the journal seems to be running
  -h, --help         This help

When every user is verified, the journal becomes DIR/journal.done.jsonl.
Exit codes: 0 every user restored and verified (or nothing to do); 1 a user could not be restored
and verified (named on stderr with the fields that differ; the journal stays open), or a journal line
was cut short (named as FILE:LINE; look at it, then --abandon); 2 bad usage; 3 the target could not
be reached.
`

export const INIT_HELP = `conform init — a config for a target, with the accounts and variables it needs

Usage: conform init [--api NAME,…] [--target NAME] [--out FILE] [--force]

Writes FILE (default conform.TARGET.yaml) with one target (default staging): per API its base URL,
bindings, and fixture accounts per role — as many as the API's checks need at once (the first account
of the read-back role reads users back), the accounts placed in another mailbox, network or
organisation that the authority checks need, and a note where checks need disposable accounts —
every value an \${env:NAME} reference; and .env.example beside it, listing every variable with
what it holds. Derived from specs/<api>/api.yaml and the specs, so it stays right as they change.
What each API needs, and which behaviours need it: docs/apis/<api>.md.

Options:
  --api NAME,…       Only these APIs (default: all)
  --target NAME      The target's name (default staging)
  --out FILE         Where the config goes (default conform.TARGET.yaml)
  --force            Write over existing files
  -h, --help         This help

Then: conform check --config FILE --target NAME --online
`
