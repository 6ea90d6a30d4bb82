#!/usr/bin/env bash
# help_cli.sh SHADES SOURCE_DIR: every command answers -h, --help and
# `shades help CMD` alike (usage, options, example; exit 0, nothing on
# stderr); -V, --version and version agree; the man page and the bash
# completion name every command and every option the help pages list, and
# the importers' formats as the registry lists them.
set -euo pipefail
shades=$1 src=$2
man=$src/docs/shades.1 completion=$src/scripts/shades-completion.bash
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "help_cli: $*" >&2; exit 1; }

"$shades" help >"$work/overview" 2>"$work/err" || fail "shades help exited $?"
[ ! -s "$work/err" ] || fail "shades help wrote to stderr"
commands=$(awk '/^commands:$/ { on = 1; next } on && NF { print $1 } on && !NF { exit }' "$work/overview")
[ "$(echo "$commands" | wc -l)" -ge 10 ] || fail "the overview lists too few commands: $commands"
"$shades" --help | cmp -s - "$work/overview" || fail "shades --help differs from shades help"
"$shades" -h | cmp -s - "$work/overview" || fail "shades -h differs from shades help"

# Every line fits an 80-column terminal: the overview, each page, and the
# man page's unfilled lines (man sets them 7 columns in).
wide() { awk -v max="$2" 'length > max { print FILENAME ":" FNR ": " length " columns"; exit 1 }' "$1"; }
wide "$work/overview" 80 || fail "shades help has a line over 80 columns"
awk '/^\.nf/ { on = 1; next } /^\.fi/ { on = 0 } on' "$man" >"$work/man-nf"
wide "$work/man-nf" 73 || fail "docs/shades.1 has an example line over 80 columns once indented"
for c in $commands; do
  "$shades" "$c" --help >"$work/$c" 2>"$work/err" || fail "shades $c --help exited $?"
  wide "$work/$c" 80 || fail "shades $c --help has a line over 80 columns"
  [ ! -s "$work/err" ] || fail "shades $c --help wrote to stderr: $(cat "$work/err")"
  head -1 "$work/$c" | grep -q "^usage: shades $c" || fail "shades $c --help: first line $(head -1 "$work/$c")"
  grep -q '^example:$' "$work/$c" || fail "shades $c --help has no example"
  grep -q "^  shades " "$work/$c" || fail "shades $c --help: the example runs no shades command"
  "$shades" "$c" -h | cmp -s - "$work/$c" || fail "shades $c -h differs from --help"
  "$shades" help "$c" | cmp -s - "$work/$c" || fail "shades help $c differs from --help"
  grep -q "^\.SS \"shades $c" "$man" || fail "docs/shades.1 has no section for $c"
  grep -qw -- "$c" <(grep '^  local commands=' "$completion") || fail "completion lacks command $c"
  # Every option of the page: in the man page and offered by the completion.
  for o in $(sed -n 's/^  \(-[a-zA-Z]\|--[a-z-]*\).*/\1/p' "$work/$c" | sort -u); do
    case $o in -h | --help) continue ;; esac
    man_o=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
    grep -q "^\.BI\? $man_o\b" "$man" || fail "docs/shades.1 lacks $c's option $o"
    grep -Eq "^ +$c\) opts=\"([^\"]* )?$o([ \"]|\$)" "$completion" ||
      fail "completion lacks $c's option $o"
  done
done

# The importers' formats: help and the usage message list them from the
# registry (protocols/importers.c); the man page, the completion and
# docs/datasets.md list the same, in the same order.
formats=$(sed -n 's/^Turns a published layout (\([^)]*\)) into$/\1/p' "$work/import")
[ -n "$formats" ] || fail "shades import --help lists no formats"
set +e
"$shades" import >/dev/null 2>"$work/err"
set -e
grep -qxF "shades: error: import needs a format ($formats) and an input" "$work/err" ||
  fail "shades import's usage lists other formats than its help: $(cat "$work/err")"
words=$(echo "$formats" | sed 's/, / /g')
man_list=$(echo "$formats" | sed 's/, / ", " /g')
grep -qxF ".RB ( $man_list )" "$man" || fail "docs/shades.1 does not list the formats $formats"
pairs=$(sed -n 's/^DIR\/manifest.csv, for \(.*\) DIR\/pairs.csv,.*/\1/p' "$work/import")
[ -n "$pairs" ] || fail "shades import --help names no format that writes pairs.csv"
grep -qxF "for $pairs" "$man" || fail "docs/shades.1 does not say pairs.csv is for $pairs"
grep -qF "COMPREPLY=(\$(compgen -W \"$words\" -- \"\$cur\"))" <(grep -A2 '^ *import) opts=' "$completion") ||
  fail "the completion does not offer the formats $words"
[ "$(sed -n 's/^| `\([a-z0-9]*\)` | .*/\1/p' "$src/docs/datasets.md" | tr '\n' ' ')" = "$words " ] ||
  fail "docs/datasets.md's importer table does not list $words"

# The options' arguments are real: run's help names the thread limit a
# config has (docs/config.md), and --threads refuses one more.
grep -q "threads, 1 to 256" "$work/run" || fail "run --help does not say 1 to 256 threads"
grep -q "threads: 2 .*1 to 256" "$src/docs/config.md" || fail "docs/config.md does not say 1 to 256 threads"
if "$shades" run x.yaml --threads 257 2>"$work/err"; then fail "--threads 257 accepted"; fi
grep -qx "shades: error: --threads needs a count from 1 to 256" "$work/err" ||
  fail "--threads 257: $(cat "$work/err")"

# Versions.
want=$("$shades" version)
echo "$want" | grep -Eqx 'shades [0-9]+\.[0-9]+\.[0-9]+ \(adapter ABI [0-9]+\.[0-9]+\)' ||
  fail "version prints '$want'"
[ "$("$shades" -V)" = "$want" ] || fail "-V differs from version"
[ "$("$shades" --version)" = "$want" ] || fail "--version differs from version"
version=$(echo "$want" | cut -d' ' -f2)
grep -q "^\.TH SHADES 1 .*\"shades $version\"" "$man" || fail "docs/shades.1's header does not say $version"

# Errors: an unknown command, help on one, and no command at all.
for args in "help nosuch" "nosuch"; do
  set +e
  # shellcheck disable=SC2086
  "$shades" $args >"$work/out" 2>"$work/err"
  status=$?
  set -e
  [ "$status" = 2 ] || fail "shades $args exited $status, want 2"
  [ "$(wc -l <"$work/err")" = 1 ] || fail "shades $args: $(wc -l <"$work/err") stderr lines"
  [ ! -s "$work/out" ] || fail "shades $args wrote to stdout"
done
set +e
"$shades" >/dev/null 2>&1
status=$?
set -e
[ "$status" = 2 ] || fail "shades with no command exited $status, want 2"
echo "help_cli: $(echo $commands | wc -w) commands, their help, man page and completion agree"
