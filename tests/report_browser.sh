#!/usr/bin/env bash
# report_browser.sh REPORT SHOTS: the demo's HTML report as a reader sees it,
# in headless Chromium (Debian's package; scripts/test.sh installs it).
# Checks that the page makes no request of its own (no fetch, image, style
# sheet or font from anywhere, not even the local disk), that every plot has
# a size, that the summary panel (the verdict, and the first failed rule
# if any) is on the first screen of a 1366x768 window, that no table runs
# off that window (a wide one scrolls inside its own box), and that no table
# or figure is wider than an A4 page in the print layout. Screenshots go to SHOTS for a person to look at.
# Exits 77 (ctest: skipped, not passed) when no Chromium is installed.
set -euo pipefail
report=$1 shots=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "report_browser: no chromium on PATH (scripts/test.sh installs Debian's package)"
  exit 77
fi
[ -s "$report" ] || { echo "report_browser: no report at $report" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$shots"
fail=0

# A page that references nothing outside itself has no src, style sheet
# link, @import or url() pointing anywhere but data: and its own fragments.
if grep -Eion '(src|srcset|poster)=["'"'"']?[^"'"'"' >]|<link[^>]*href|@import|url\(["'"'"']?[^"'"'"'#d)]' \
     "$report" | grep -v 'data:' >"$work/static.txt"; then
  echo "report_browser: the page references outside resources:" >&2
  head -5 "$work/static.txt" >&2
  fail=1
fi

# The check, run by the browser once the page has loaded: one line per
# finding inside <pre id="shades-check">, then "done".
cat >"$work/check.js" <<'JS'
<script>
window.addEventListener('load', function () {
  var out = [], W = window.innerWidth, H = window.innerHeight;
  var mode = document.documentElement.getAttribute('data-check');
  performance.getEntriesByType('resource').forEach(function (e) {
    if (!/^data:/.test(e.name)) out.push('request: ' + e.name);
  });
  document.querySelectorAll('svg:not(svg svg)').forEach(function (s, i) {
    var r = s.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0))
      out.push('plot ' + (i + 1) + ' (' + (s.getAttribute('aria-label') || 'unlabelled') +
               ') is ' + r.width + 'x' + r.height);
  });
  if (mode === 'screen') {
    var p = document.getElementById('summary');
    if (!p) out.push('summary: no element with id "summary"');
    else {
      var r = p.getBoundingClientRect();
      // The verdict is the panel's first words: its first line must show.
      var first = p.firstElementChild ? p.firstElementChild.getBoundingClientRect() : r;
      if (r.top >= H || first.bottom > H)
        out.push('summary: starts at ' + Math.round(r.top) + ' px, its first line ends at ' +
                 Math.round(first.bottom) + ' px, below the first screen (' + H + ' px)');
      // A failed rule's sentence is what a reader came for: the first one
      // must show too, however many runs the report holds.
      var rule = p.querySelector('ul.failed li');
      if (rule && rule.getBoundingClientRect().bottom > H)
        out.push('summary: the first failed rule ends at ' +
                 Math.round(rule.getBoundingClientRect().bottom) +
                 ' px, below the first screen (' + H + ' px)');
      var before = document.querySelector('table, svg, figure');
      if (before && (p.compareDocumentPosition(before) & Node.DOCUMENT_POSITION_PRECEDING))
        out.push('summary: a table or plot comes before it');
    }
    // A table wider than the window scrolls inside its own box: the page
    // itself never runs off the screen.
    document.querySelectorAll('table').forEach(function (e, i) {
      var box = e.parentElement, r = box.getBoundingClientRect();
      if (!box.classList.contains('table') || r.right > W + 1 || r.left < -1)
        out.push('table ' + (i + 1) + ' is not in a box within the window (' + W + ' px): ' +
                 e.textContent.replace(/\s+/g, ' ').slice(0, 60));
    });
    if (document.documentElement.scrollWidth > W + 1)
      out.push('the page is ' + document.documentElement.scrollWidth +
               ' px wide, wider than the window (' + W + ' px)');
  } else {
    document.querySelectorAll('table, figure, svg:not(svg svg), pre').forEach(function (e, i) {
      var r = e.getBoundingClientRect();
      if (r.right > W + 1 || r.left < -1)
        out.push(e.tagName.toLowerCase() + ' ' + (i + 1) + ' spans ' + Math.round(r.left) +
                 '..' + Math.round(r.right) + ' px, wider than the A4 page (' + W + ' px): ' +
                 (e.getAttribute('aria-label') || e.textContent.slice(0, 60)));
    });
  }
  out.push('done');
  var pre = document.createElement('pre');
  pre.id = 'shades-check';
  pre.textContent = out.join('\n');
  document.body.appendChild(pre);
});
</script>
JS

# The report with the check appended; in "print" mode the page's print
# rules apply on screen, since a headless window cannot switch to print
# media. A4 is 794 px wide at 96 px an inch; less Chromium's default
# margins of 1 cm a side, 718 px are left for the page's content.
variant() { # MODE FILE
  sed -e "s/<html/<html data-check=\"$1\"/" -e '/<\/body>/{
r '"$work"'/check.js
}' "$report" >"$2"
  if [ "$1" = print ]; then sed -i 's/@media print{/@media all{/' "$2"; fi
}
run_browser() { # WIDTH HEIGHT FILE [ARGS...]
  local w=$1 h=$2 f=$3
  shift 3
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --no-first-run --user-data-dir="$work/profile" --window-size="$w,$h" \
    --virtual-time-budget=5000 "$@" "file://$f" 2>>"$work/browser.log"
}
check() { # MODE WIDTH HEIGHT
  variant "$1" "$work/$1.html"
  run_browser "$2" "$3" "$work/$1.html" --dump-dom >"$work/$1.dom" || true
  local found
  found=$(sed -n '/<pre id="shades-check">/,/<\/pre>/p' "$work/$1.dom" |
    sed -e 's/<pre id="shades-check">//' -e 's/<\/pre>.*//' -e 's/&amp;/\&/g' -e 's/&lt;/</g' -e 's/&gt;/>/g')
  if ! grep -qx done <<<"$found"; then
    echo "report_browser: $1 check did not run; the browser said:" >&2
    tail -5 "$work/browser.log" >&2
    fail=1
  elif [ "$(grep -c . <<<"$found")" -gt 1 ]; then
    grep -vx done <<<"$found" | sed "s/^/report_browser: $1 ($2x$3): /" >&2
    fail=1
  fi
}
check screen 1366 768
check print 718 1123

# For a person: the first screen, the whole page at screen width, and the
# print layout's first pages.
abs=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
run_browser 1366 768 "$abs" --screenshot="$shots/first-screen.png" >/dev/null || true
run_browser 1366 9000 "$abs" --screenshot="$shots/page.png" >/dev/null || true
run_browser 718 6000 "$work/print.html" --screenshot="$shots/print.png" >/dev/null || true
for s in first-screen page print; do
  [ -s "$shots/$s.png" ] || { echo "report_browser: no screenshot $s.png" >&2; fail=1; }
done
[ "$fail" -eq 0 ] || exit 1
echo "report_browser: no outside request, every plot sized, summary on the first screen," \
  "A4 width kept; screenshots in $shots"
