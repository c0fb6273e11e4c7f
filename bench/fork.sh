#!/usr/bin/env bash
# Benchmark for `kflavour fork` (issue 7): a generated vendor repository with
# 2,000 commits and a ~50 MB tree, tagged; `kflavour fork file://…` against
# `git clone --depth 1 --branch TAG file://…` of the same tag. Prints both
# times, their ratio (target ≤ 1.2) and the object counts of both results
# (target: the fork holds one commit and no history).
#
# usage: bench/fork.sh [KFLAVOUR]   (default: $KFLAVOUR, else build/kflavour, built if missing)
# env:   BENCH_DIR (default: a temporary directory), BENCH_RUNS (default 5:
#        the best of N alternating runs is reported, to damp noise)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/bench/lib.sh"
kflavour=$(bench_kflavour "${1:-}")
runs=${BENCH_RUNS:-5}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
[[ -z ${BENCH_DIR:-} ]] && trap 'rm -rf "$work"' EXIT

commits=2000
files=5000          # × ~10 KB of text each ≈ 50 MB
tag=v1.0

# One deterministic fast-import stream: commit 1 adds every file, each later
# commit rewrites three files (a new line at the top), the last one is tagged.
generate_stream() {
    perl -e '
        use strict; use warnings;
        my ($commits, $files, $tag) = @ARGV;
        my $seed = 12345;
        sub rnd { $seed = ($seed * 1103515245 + 12345) % 2147483648; return $seed; }
        my @words = qw(static int void struct return if else for while unsigned long
                       const char spin_lock unlock kfree kmalloc dev err goto out
                       mutex list_head u32 u64 sizeof NULL EXPORT_SYMBOL_GPL);
        sub line { my $n = 4 + rnd() % 9; join(" ", map { $words[rnd() % @words] } 1 .. $n) . ";\n" }
        my @content;
        for my $f (0 .. $files - 1) {
            my $text = "";
            $text .= line() while length($text) < 9500 + rnd() % 2000;
            $content[$f] = $text;
        }
        sub path { my $f = shift; sprintf("drivers/d%03d/file%05d.c", $f % 100, $f) }
        my $time = 1600000000;
        for my $c (1 .. $commits) {
            my @changed = $c == 1 ? (0 .. $files - 1) : map { rnd() % $files } 1 .. 3;
            $time += 3600;
            my $msg = "commit $c\n";
            print "commit refs/heads/master\n";
            print "committer Vendor <vendor\@example.com> $time +0000\n";
            print "data ", length($msg), "\n$msg";
            for my $f (@changed) {
                $content[$f] = "/* change $c */\n" . $content[$f] if $c > 1;
                print "M 100644 inline ", path($f), "\n";
                print "data ", length($content[$f]), "\n", $content[$f];
            }
            print "\n";
        }
        my $tmsg = "Vendor release $tag\n";
        print "tag $tag\nfrom refs/heads/master\ntagger Vendor <vendor\@example.com> $time +0000\n";
        print "data ", length($tmsg), "\n$tmsg";
    ' "$commits" "$files" "$tag"
}

vendor=$work/vendor.git
if [[ ! -d $vendor ]]; then
    echo "generating $vendor ($commits commits, $files files)…" >&2
    git init -q --bare "$vendor"
    generate_stream | git -C "$vendor" fast-import --quiet
    git -C "$vendor" repack -a -d -q
fi
url=file://$vendor

export HOME=$work/home
mkdir -p "$HOME"
git config --global user.name "Bench"
git config --global user.email "bench@example.com"

time_once() {  # time_once COMMAND…: its wall time in seconds, into $wall
    rm -rf "$work/out"
    local TIMEFORMAT='%R' times
    times=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
    wall=$times
}
min() { awk -v a="$1" -v b="$2" 'BEGIN {print (a == "" || b < a) ? b : a}'; }
object_counts() {  # "N objects (C commits, T trees, B blobs, G tags)"
    git -C "$1" cat-file --batch-all-objects --batch-check='%(objecttype)' |
        sort | uniq -c | awk '{n += $1; c[$2] = $1}
            END {printf "%d objects (%d commits, %d trees, %d blobs, %d tags)", n, c["commit"], c["tree"], c["blob"], c["tag"]}'
}

# Clone and fork take turns, so that load from other work on the machine
# hits both alike: the best run of each, and the median of the ratios of
# the runs taken back to back (which cancels load that drifts slowly). (No CPU time: taken
# with bash's `time` it disagreed with `perf stat -e task-clock` by more
# than the difference it was to show.)
clone_wall="" fork_wall="" pair_ratios=""
for ((i = 0; i < runs; i++)); do
    time_once git clone -q --depth 1 --branch "$tag" "$url" "$work/out"
    clone_wall=$(min "$clone_wall" "$wall") clone_last=$wall
    clone_objects=$(object_counts "$work/out")
    time_once "$kflavour" -q fork "$url" --tag "$tag" "$work/out"
    fork_wall=$(min "$fork_wall" "$wall")
    pair_ratios+="$(awk -v f="$wall" -v c="$clone_last" 'BEGIN {print f / c}') "
    fork_objects=$(object_counts "$work/out")
    fork_history=$(git -C "$work/out" rev-list --count HEAD)
done
vendor_objects=$(object_counts "$vendor")

printf 'vendor repository:    %s\n' "$vendor_objects"
printf 'git clone --depth 1:  %6.2f s  %s\n' "$clone_wall" "$clone_objects"
printf 'kflavour fork:        %6.2f s  %s, %s commit(s) on the branch\n' "$fork_wall" "$fork_objects" "$fork_history"
median_ratio=$(tr ' ' '\n' <<<"$pair_ratios" | grep . | sort -g | awk '{r[NR] = $1}
    END {printf "%.2f", NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2}')
printf 'time ratio fork/clone (target ≤ 1.2): %s best to best, %s median of %d pairs; load average: %s\n' \
    "$(awk -v f="$fork_wall" -v c="$clone_wall" 'BEGIN {printf "%.2f", f / c}')" "$median_ratio" "$runs" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
history_commits=$(git -C "$work/out" cat-file --batch-all-objects --batch-check='%(objecttype)' | grep -c '^commit$' || true)
printf 'history objects in the fork: %s (only the fork commit itself: %s)\n' \
    "$((history_commits - 1))" "$([[ $history_commits == 1 ]] && echo yes || echo NO)"
