#!/bin/bash
# kflavour verify on bad input: exit 2 with one error line naming the cause
# (truncated .deb, a file that is not a .deb, an empty directory, no index).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/verify_lib.sh"

write_index "$KF_TMP/Packages"
stage_good_set
pack_all "$KF_TMP/good"

mkdir "$KF_TMP/empty"
expect_error 2 "empty: no \.deb files in the directory" "empty directory" -- \
    "$KFLAVOUR" verify "$KF_TMP/empty" --packages "$KF_TMP/Packages"

cp -r "$KF_TMP/good" "$KF_TMP/truncated"
f=$(ls "$KF_TMP"/truncated/linux-image-*.deb)
truncate -s $(($(stat -c %s "$f") - 200)) "$f"
expect_error 2 "linux-image-.*\.deb: .*(truncated|corrupt)" "truncated .deb" -- \
    "$KFLAVOUR" verify "$KF_TMP/truncated" --packages "$KF_TMP/Packages"

cp -r "$KF_TMP/good" "$KF_TMP/notdeb"
echo "hello" >"$KF_TMP/notdeb/hello_1_arm64.deb"
expect_error 2 "hello_1_arm64\.deb: not a Debian package" "not a .deb" -- \
    "$KFLAVOUR" verify "$KF_TMP/notdeb" --packages "$KF_TMP/Packages"

expect_error 2 "not a directory of \.debs or a \.changes file" "a plain file" -- \
    "$KFLAVOUR" verify "$KF_TMP/Packages" --packages "$KF_TMP/Packages"

XDG_CACHE_HOME=$KF_TMP/cache expect_error 2 "no package index: say which release" "no index option" -- \
    "$KFLAVOUR" verify "$KF_TMP/good"
XDG_CACHE_HOME=$KF_TMP/cache expect_error 2 "no package index of no-such-suite for arm64" "no index for the suite" -- \
    "$KFLAVOUR" verify "$KF_TMP/good" --suite no-such-suite
expect_error 2 "cannot read package index" "missing --packages file" -- \
    "$KFLAVOUR" verify "$KF_TMP/good" --packages "$KF_TMP/nonexistent"
