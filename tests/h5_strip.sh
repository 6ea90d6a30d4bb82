# Sourced by the tests that compare results files. h5_strip FILE prints
# FILE's h5dump without the attributes that may differ between runs of the
# same config: created, threads and config_path.
h5_strip() {
  (cd "$(dirname "$1")" && h5dump "$(basename "$1")") | awk '
    /ATTRIBUTE "(created|threads|config_path)"/ { skip = 1; depth = 0 }
    skip { o = gsub(/{/, "{"); c = gsub(/}/, "}"); depth += o - c
           if (depth <= 0 && (o || c)) skip = 0; next }
    { print }'
}
