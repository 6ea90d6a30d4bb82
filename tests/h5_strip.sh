# Sourced by the tests that compare results files. h5_strip FILE prints
# FILE's h5dump without the attributes that may differ between runs of the
# same config: created, threads, ranks, rank_hosts and config_path. h5_strip FILE NAMES also
# leaves out the attributes whose names match the regular expression NAMES
# (what differs between builds: the adapter's path and hash, the build). Object references print as
# the object's address, which moves when an attribute's length does (a
# config's path), so only the name they point to is kept.
h5_strip() {
  (cd "$(dirname "$1")" && h5dump "$(basename "$1")") | awk -v extra="${2:-}" '
    /ATTRIBUTE "(created|threads|ranks|rank_hosts|config_path)"/ ||
    (extra != "" && match($0, "ATTRIBUTE \"(" extra ")\"")) { skip = 1; depth = 0 }
    skip { o = gsub(/{/, "{"); c = gsub(/}/, "}"); depth += o - c
           if (depth <= 0 && (o || c)) skip = 0; next }
    { print }' | sed -E 's/DATASET [0-9]+ "/DATASET "/g'
}
