# Helpers shared by the benchmarks (sourced). Each benchmark sets WORK, a scratch directory.

# timed LABEL COMMAND...: runs COMMAND under GNU time; prints "WALL_S RSS_MIB" (or
# "fail fail") and keeps the command's output in $WORK/LABEL.log.
timed() {
  local label=$1; shift
  local tfile=$WORK/$label.time
  if /usr/bin/time -v -o "$tfile" "$@" >"$WORK/$label.log" 2>&1; then
    awk -F': ' '
      /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
      /Maximum resident set size/ { rss = $2 / 1024 }
      END { printf "%.2f %.0f\n", w, rss }' "$tfile"
  else
    log "$label failed; last lines of its output:"
    tail -n 5 "$WORK/$label.log" >&2
    echo "fail fail"
  fi
}

# median and maximum of the numeric lines on stdin ("fail" lines are ignored), or n/a.
median() {
  awk '/^[0-9.]+$/' | sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

maximum() {
  awk '/^[0-9.]+$/' | sort -n | awk 'END { print (NR ? $1 : "n/a") }'
}


# report_path PATH: PATH as a report names it. Reports are committed and read on other
# machines, where the checkout (and each benchmark's WORK) may live elsewhere: a path inside
# the repository is given relative to it, one inside WORK as WORK/..., anything else by its
# file name only, marked as such.
report_path() {
  local path
  path=$(realpath -m "$1")
  if [[ $path == "$repo" ]]; then
    printf '.\n'
  elif [[ $path == "$repo"/* ]]; then
    printf '%s\n' "${path#"$repo"/}"
  elif [[ -n ${WORK:-} && ( $path == "$WORK" || $path == "$WORK"/* ) ]]; then
    printf 'WORK%s\n' "${path#"$WORK"}"
  else
    printf '%s (outside the repository)\n' "$(basename "$path")"
  fi
}
