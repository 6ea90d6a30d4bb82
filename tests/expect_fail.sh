# Sourced by the CLI tests. expect_fail [-E] WHAT PATTERN COMMAND... runs
# COMMAND (stdout to out.txt, stderr to err.txt) and passes when it exits 2
# with exactly one line on stderr matching PATTERN (a basic regular
# expression, extended with -E); otherwise it names WHAT and exits 1.
expect_fail() {
  local flags=-q
  if [ "$1" = -E ]; then flags=-Eq; shift; fi
  local what=$1 pattern=$2
  shift 2
  set +e
  "$@" >out.txt 2>err.txt
  local status=$?
  set -e
  [ "$status" -eq 2 ] || { echo "$what: exit $status, expected 2" >&2; cat err.txt >&2; exit 1; }
  [ "$(grep -c . err.txt)" -eq 1 ] || { echo "$what: not one line:" >&2; cat err.txt >&2; exit 1; }
  grep $flags -- "$pattern" err.txt || { echo "$what: no '$pattern' in:" >&2; cat err.txt >&2; exit 1; }
}
