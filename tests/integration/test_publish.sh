#!/bin/bash
# kflavour publish on synthetic arm64 sets (verify_lib.sh) with the real
# apt-ftparchive, dpkg-deb and gpg (a throw-away key): the repository's
# layout, indexes and signatures, meta packages that follow the newest set,
# --keep, --cmdline, the client config; a re-publish changes nothing; a
# rebuilt file under a published name and every bad input are refused with
# the repository unchanged; two publishes at once are serialized; SIGINT in
# the middle leaves the old repository. The apt client side runs in
# tests/e2e/test_publish_6_1.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/verify_lib.sh"
command -v apt-ftparchive >/dev/null || fail "needs apt-ftparchive (apt-utils)"

export GNUPGHOME=$KF_TMP/gnupg
mkdir -m 700 "$GNUPGHOME"
KF_CLEANUPS+=("gpgconf --kill gpg-agent")
gpg --batch --quiet --passphrase '' --quick-gen-key "kflavour publish test <publish@example.com>" ed25519 sign never 2>/dev/null
FPR=$(gpg --batch --with-colons --list-secret-keys | awk -F: '/^fpr:/ {print $10; exit}')
gpg --batch --export "$FPR" >"$KF_TMP/key.gpg"

write_index "$KF_TMP/Packages"
REPO=$KF_TMP/repo
pub() { "$KFLAVOUR" publish "$@" --suite bookworm --packages "$KF_TMP/Packages"; }

# A synthetic set of kernel VERSION (6.1.N) in DIR.
make_set() {
    local dir=$1 sub=$2
    REL=6.1.$sub-tickless VER=6.1.$sub-1
    stage_good_set
    pack_all "$dir"
    REL=6.1.192-tickless VER=6.1.192-1
}
make_set "$KF_TMP/v1" 192
make_set "$KF_TMP/v2" 193
make_set "$KF_TMP/v3" 194

# Every file of the repository with its checksum and link target: equal snapshots, nothing changed.
snapshot() {
    (cd "$1" && find . -printf '%p %y %l\n' | sort && find . -type f -exec md5sum {} + | sort) 2>/dev/null || true
}
expect_repo_unchanged() {
    snapshot "$REPO" >"$KF_TMP/after"
    diff "$KF_TMP/before" "$KF_TMP/after" >&2 || fail "$1: the repository changed"
}
# Packages of the suite's arm64 index, as "name version" lines.
published() { awk '/^Package:/ {p=$2} /^Version:/ {print p, $2}' "$REPO/dists/bookworm/main/binary-arm64/Packages" | sort; }

# --- the first publish ---
pub "$KF_TMP/v1" --repo "$REPO" --key "$FPR" >"$KF_TMP/out" 2>&1 || { cat "$KF_TMP/out"; fail "publish v1"; }
grep -q "published 6.1.192-tickless 6.1.192-1 (arm64) into $REPO suite bookworm, main (generation 1)" "$KF_TMP/out" ||
    { cat "$KF_TMP/out"; fail "publish v1: no summary"; }
[ "$(readlink "$REPO/dists")" = .kflavour/gen/1/dists ] || fail "dists is not a symlink to generation 1"
for f in Release InRelease Release.gpg main/binary-arm64/Packages main/binary-arm64/Packages.gz main/binary-arm64/Packages.xz; do
    [ -s "$REPO/dists/bookworm/$f" ] || fail "no dists/bookworm/$f"
done
gpgv --keyring "$KF_TMP/key.gpg" "$REPO/dists/bookworm/InRelease" 2>/dev/null || fail "InRelease does not verify"
gpgv --keyring "$KF_TMP/key.gpg" "$REPO/dists/bookworm/Release.gpg" "$REPO/dists/bookworm/Release" 2>/dev/null ||
    fail "Release.gpg does not verify"
grep -qx "Suite: bookworm" "$REPO/dists/bookworm/Release" && grep -qx "Architectures: arm64" "$REPO/dists/bookworm/Release" &&
    grep -qx "Components: main" "$REPO/dists/bookworm/Release" || { cat "$REPO/dists/bookworm/Release"; fail "Release fields"; }
printf '%s\n' "linux-headers-6.1.192-tickless 6.1.192-1" "linux-headers-tickless 6.1.192-1" \
    "linux-image-6.1.192-tickless 6.1.192-1" "linux-image-tickless 6.1.192-1" "linux-tickless 6.1.192-1" |
    diff - <(published) || fail "v1: the index"
zcat "$REPO/dists/bookworm/main/binary-arm64/Packages.gz" | cmp - "$REPO/dists/bookworm/main/binary-arm64/Packages" ||
    fail "Packages.gz differs from Packages"
# No Source field: the pool folder is the package's name.
grep -q "^Filename: pool/main/l/linux-image-6.1.192-tickless/linux-image-6.1.192-tickless_6.1.192-1_arm64.deb$" \
    "$REPO/dists/bookworm/main/binary-arm64/Packages" || fail "the image's pool path"
meta=$REPO/pool/main/l/linux-meta-kflavour
[ "$(dpkg-deb -f "$meta/linux-image-tickless_6.1.192-1_arm64.deb" Depends)" = "linux-image-6.1.192-tickless (= 6.1.192-1)" ] ||
    fail "linux-image-tickless: Depends"
[ "$(dpkg-deb -f "$meta/linux-tickless_6.1.192-1_arm64.deb" Depends)" = \
    "linux-image-tickless (= 6.1.192-1), linux-headers-tickless (= 6.1.192-1)" ] || fail "linux-tickless: Depends"
pass "publish v1: signed indexes, the set (without linux-libc-dev) and three meta packages"

# --- the same again: nothing changes, not even Release's date ---
snapshot "$REPO" >"$KF_TMP/before"
pub "$KF_TMP/v1" --repo "$REPO" --key "$FPR" >"$KF_TMP/out" 2>&1 || { cat "$KF_TMP/out"; fail "re-publish v1"; }
grep -q "nothing to do" "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "re-publish: not 'nothing to do'"; }
expect_repo_unchanged "re-publish"
pass "re-publishing the same set changes nothing"

# --- a rebuilt file under v1's name: refused ---
stage_good_set   # v1 again, with one changed byte in the headers
echo "# rebuilt" >>"$(root_of linux-headers-$REL)/usr/src/linux-headers-$REL/Makefile"
pack_all "$KF_TMP/v1-rebuilt"
cmp -s "$KF_TMP/v1/linux-image-${REL}_${VER}_arm64.deb" "$KF_TMP/v1-rebuilt/linux-image-${REL}_${VER}_arm64.deb" ||
    fail "packing is not reproducible here: the test needs only the headers to differ"
expect_error 2 "linux-headers-6.1.192-tickless 6.1.192-1 \(arm64\) is already published with other contents" \
    "a rebuilt file" -- pub "$KF_TMP/v1-rebuilt" --repo "$REPO" --key "$FPR"
grep -q "hint: .*--pkg-version" "$KF_TMP/err" || fail "a rebuilt file: no hint"
expect_repo_unchanged "a rebuilt file"
pass "a rebuilt file under a published name/version/arch is refused; repository unchanged"

# --- bad input: exit class, one error line, the repository unchanged ---
mkdir -p "$KF_TMP/empty" "$KF_TMP/other-repo/dists"
cp -r "$KF_TMP/v1" "$KF_TMP/broken" && rm "$KF_TMP/broken"/linux-headers-*.deb
expect_error 2 "no .deb files in the directory" "an empty dir" -- pub "$KF_TMP/empty" --repo "$REPO" --key "$FPR"
expect_error 1 "the set fails verify \(1 problem\); nothing was published" "a set failing verify" -- \
    pub "$KF_TMP/broken" --repo "$REPO" --key "$FPR"
grep -q "linux-headers-6.1.192-tickless: complete: missing from the set" "$KF_TMP/err" || fail "verify's finding not shown"
expect_error 2 "no secret key 'nosuch' in gpg's keyring" "an unknown key" -- pub "$KF_TMP/v1" --repo "$REPO" --key nosuch
expect_error 2 "invalid suite 'bookworm/updates'" "a suite with a slash" -- \
    "$KFLAVOUR" publish "$KF_TMP/v1" --repo "$REPO" --suite bookworm/updates --packages "$KF_TMP/Packages"
expect_error 2 "--keep 0: keep at least 1" "--keep 0" -- pub "$KF_TMP/v1" --repo "$REPO" --keep 0
expect_error 2 "--key and --unsigned exclude each other" "--key with --unsigned" -- pub "$KF_TMP/v1" --repo "$REPO" --key "$FPR" --unsigned
expect_error 2 "--cmdline .*no quotes" "a quote in --cmdline" -- pub "$KF_TMP/v1" --repo "$REPO" --cmdline 'a="b"'
expect_error 2 "--component 'main/x'" "a component with a slash" -- pub "$KF_TMP/v1" --repo "$REPO" --component main/x
expect_repo_unchanged "bad input"
touch "$KF_TMP/file-repo"
expect_error 2 "--repo is not a directory" "a repo path that is a file" -- pub "$KF_TMP/v1" --repo "$KF_TMP/file-repo"
[ ! -s "$KF_TMP/file-repo" ] || fail "the file was written"
expect_error 2 "not a kflavour repository" "another tool's repository" -- pub "$KF_TMP/v1" --repo "$KF_TMP/other-repo" --unsigned
[ "$(find "$KF_TMP/other-repo" | wc -l)" = 2 ] || fail "the other repository was written"
GNUPGHOME=$KF_TMP/no-keys expect_error 2 "gpg has no secret key" "no key at all" -- pub "$KF_TMP/v1" --repo "$KF_TMP/new-repo"
[ ! -e "$KF_TMP/new-repo" ] || fail "a refused publish created the repository"
pass "bad input: empty dir, failing set, unknown key, slash in suite/component, --keep 0, file as repo, foreign repo"

# --- version 2: the metas follow it, v1 stays; --cmdline adds linux-tickless-cmdline ---
pub "$KF_TMP/v2" --repo "$REPO" --key "$FPR" --cmdline "nohz_full=1-3 rcu_nocbs=1-3" >"$KF_TMP/out" 2>&1 ||
    { cat "$KF_TMP/out"; fail "publish v2"; }
[ "$(readlink "$REPO/dists")" = .kflavour/gen/2/dists ] || fail "v2 is not generation 2"
[ ! -e "$REPO/.kflavour/gen/1" ] || fail "generation 1 was not removed"
printf '%s\n' "linux-headers-6.1.192-tickless 6.1.192-1" "linux-headers-6.1.193-tickless 6.1.193-1" \
    "linux-headers-tickless 6.1.193-1" "linux-image-6.1.192-tickless 6.1.192-1" "linux-image-6.1.193-tickless 6.1.193-1" \
    "linux-image-tickless 6.1.193-1" "linux-tickless 6.1.193-1" "linux-tickless-cmdline 1" | diff - <(published) || fail "v2: the index"
[ ! -e "$meta/linux-image-tickless_6.1.192-1_arm64.deb" ] || fail "v1's meta package stayed in the pool"
cmdline_deb=$REPO/pool/main/l/linux-meta-kflavour/linux-tickless-cmdline_1_all.deb
dpkg-deb --fsys-tarfile "$cmdline_deb" | tar -xO ./etc/default/grub.d/kflavour-tickless.cfg >"$KF_TMP/grub.cfg"
grep -qx 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT nohz_full=1-3 rcu_nocbs=1-3"' "$KF_TMP/grub.cfg" ||
    { cat "$KF_TMP/grub.cfg"; fail "the grub.d file"; }
dpkg-deb --ctrl-tarfile "$cmdline_deb" | tar -t | grep -q '^./conffiles$' && fail "the grub.d file is a conffile (would stay after remove)"
dpkg-deb -I "$cmdline_deb" postrm | grep -q "update-grub" || fail "postrm does not run update-grub"
pass "v2: metas at 6.1.193-1, v1 kept, linux-tickless-cmdline 1 with the grub.d file"

# --- --keep 1 with v3: v1 and v2 leave the index and the pool ---
pub "$KF_TMP/v3" --repo "$REPO" --key "$FPR" --keep 1 >"$KF_TMP/out" 2>&1 || { cat "$KF_TMP/out"; fail "publish v3 --keep 1"; }
grep -q "dropped (--keep): 6.1.192-1" "$KF_TMP/out" && grep -q "dropped (--keep): 6.1.193-1" "$KF_TMP/out" ||
    { cat "$KF_TMP/out"; fail "--keep: the dropped versions are not named"; }
published | grep -q 6.1.19[23] && fail "--keep 1: an older version is still in the index"
[ -z "$(find "$REPO/pool" -name '*6.1.19[23]*')" ] || fail "--keep 1: older files stayed in the pool"
published | grep -qx "linux-tickless-cmdline 1" || fail "the cmdline package went with --keep"
pass "--keep 1: only 6.1.194-1 remains, in the index and the pool"

# --- client config ---
"$KFLAVOUR" publish --repo "$REPO" --client-config "$KF_TMP/client" --url http://127.0.0.1:8000 --name lab >"$KF_TMP/out" 2>&1 ||
    { cat "$KF_TMP/out"; fail "--client-config"; }
grep -qx "Signed-By: /etc/apt/keyrings/lab.gpg" "$KF_TMP/client/lab.sources" && grep -qx "Suites: bookworm" "$KF_TMP/client/lab.sources" &&
    grep -qx "URIs: http://127.0.0.1:8000" "$KF_TMP/client/lab.sources" || { cat "$KF_TMP/client/lab.sources"; fail "lab.sources"; }
gpgv --keyring "$KF_TMP/client/lab.gpg" "$REPO/dists/bookworm/InRelease" 2>/dev/null || fail "lab.gpg does not verify InRelease"
expect_error 2 "--client-config needs --url" "--client-config without --url" -- \
    "$KFLAVOUR" publish --repo "$REPO" --client-config "$KF_TMP/client"
pass "--client-config: lab.sources (Signed-By) and the binary keyring lab.gpg"

# --- an unsigned repository: Trusted: yes, loudly ---
pub "$KF_TMP/v1" --repo "$KF_TMP/unsigned" --unsigned >"$KF_TMP/out" 2>&1 || { cat "$KF_TMP/out"; fail "--unsigned"; }
grep -q "warning: the repository is not signed" "$KF_TMP/out" || fail "--unsigned: no warning"
[ ! -e "$KF_TMP/unsigned/dists/bookworm/InRelease" ] || fail "--unsigned: an InRelease"
"$KFLAVOUR" publish --repo "$KF_TMP/unsigned" --client-config "$KF_TMP/uclient" --url http://x >"$KF_TMP/out" 2>&1 || fail "unsigned client config"
grep -qx "Trusted: yes" "$KF_TMP/uclient/kflavour.sources" && grep -q "NOT SIGNED" "$KF_TMP/uclient/kflavour.sources" ||
    fail "unsigned client config: no Trusted: yes with a warning"
pass "--unsigned: no signatures, a warning, and a client config that says Trusted: yes"

# --- a flavour definition's Cmdline: is the default of --cmdline ---
mkdir -p "$KF_TMP/defs"
printf 'Flavour: tickless\nCmdline: nohz_full=2-3 rcu_nocbs=2-3\n' >"$KF_TMP/defs/tickless.flavour"
KFLAVOUR_FLAVOURS_DIR=$KF_TMP/defs pub "$KF_TMP/v1" --repo "$KF_TMP/defrepo" --unsigned >"$KF_TMP/out" 2>&1 ||
    { cat "$KF_TMP/out"; fail "publish with a Cmdline: definition"; }
grep -q 'linux-tickless-cmdline: "nohz_full=2-3 rcu_nocbs=2-3" (the flavour definition' "$KF_TMP/out" ||
    { cat "$KF_TMP/out"; fail "the definition's Cmdline: is not named"; }
REPO=$KF_TMP/defrepo published | grep -qx "linux-tickless-cmdline 1" || fail "no linux-tickless-cmdline from the definition"
pass "a flavour definition's Cmdline: publishes linux-tickless-cmdline without --cmdline"

# --- two publishes at once: serialized by the lock, both land ---
pub "$KF_TMP/v1" --repo "$KF_TMP/race" --unsigned >/dev/null 2>&1 &
p1=$!
pub "$KF_TMP/v2" --repo "$KF_TMP/race" --unsigned >/dev/null 2>&1 &
p2=$!
wait "$p1" && wait "$p2" || fail "concurrent publishes failed"
REPO=$KF_TMP/race published | grep -c '^linux-image-6.1.19[23]-tickless ' | grep -qx 2 || fail "concurrent publishes: one set was lost"
pass "two publishes at once into one repository: both sets are there"

# --- SIGINT while apt-ftparchive runs: the old repository stays ---
cat >"$KF_TMP/slow-ftparchive" <<'SH'
#!/bin/bash
echo $$ >"$SLOW_PID"
sleep 30
exec apt-ftparchive "$@"
SH
chmod +x "$KF_TMP/slow-ftparchive"
snapshot "$REPO" >"$KF_TMP/before"
rm -f "$KF_TMP/slow.pid"
# kflavour itself in the background (not the pub function, whose subshell would take the signal).
SLOW_PID=$KF_TMP/slow.pid KFLAVOUR_APT_FTPARCHIVE=$KF_TMP/slow-ftparchive "$KFLAVOUR" publish "$KF_TMP/v2" --repo "$REPO" \
    --key "$FPR" --suite bookworm --packages "$KF_TMP/Packages" >"$KF_TMP/out" 2>&1 &
kfpid=$!
for _ in $(seq 100); do [ -s "$KF_TMP/slow.pid" ] && break; sleep 0.1; done
[ -s "$KF_TMP/slow.pid" ] || fail "the slow apt-ftparchive did not start"
kill -INT "$kfpid"
rc=0; wait "$kfpid" || rc=$?
[ "$rc" = 130 ] || { cat "$KF_TMP/out"; fail "SIGINT: exit $rc, want 130"; }
expect_repo_unchanged "SIGINT during apt-ftparchive"
gpgv --keyring "$KF_TMP/key.gpg" "$REPO/dists/bookworm/InRelease" 2>/dev/null || fail "after SIGINT: InRelease does not verify"
pass "SIGINT during publish: exit 130, the repository exactly as before"
