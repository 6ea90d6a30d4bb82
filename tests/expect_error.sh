#!/usr/bin/env bash
# expect_error.sh STATUS MESSAGE COMMAND...: runs COMMAND and passes when it
# exits with STATUS and prints exactly one line, MESSAGE, on stderr.
set -u
want_status=$1 want_msg=$2
shift 2
err=$(mktemp)
"$@" >/dev/null 2>"$err"
status=$?
lines=$(wc -l <"$err")
got=$(cat "$err")
rm -f "$err"
if [ "$status" != "$want_status" ] || [ "$lines" != 1 ] || [ "$got" != "$want_msg" ]; then
  printf 'command: %s\nwant status %s, message:\n  %s\ngot status %s, %s stderr line(s):\n%s\n' \
    "$*" "$want_status" "$want_msg" "$status" "$lines" "$got" >&2
  exit 1
fi
