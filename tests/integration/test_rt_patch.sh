#!/bin/bash
# kflavour new --rt-patch on a small upstream tree with a fake make
# ($KFLAVOUR_MAKE): the matching rule over a kernel.org-shaped directory
# (local and over HTTP), the next candidate when one does not apply, the
# record in the flavour, a no-op re-run, gpgv signatures, and bad input
# leaving the tree byte-identical. The real RT patch on the real 6.1 tree is
# tests/e2e/test_rt_6_1.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

use_scratch_dir   # kflavour's scratch dirs: none may be left behind

# Linux 6.1.20 in miniature: the RT patch turns ARCH_SUPPORTS_RT on.
fresh_upstream() {
    rm -rf "$KF_TMP/tree" "$KF_TMP/pristine"
    mkdir -p "$KF_TMP/tree/kernel"
    printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 20\nEXTRAVERSION =\n' >"$KF_TMP/tree/Makefile"
    printf 'source "kernel/Kconfig.preempt"\n' >"$KF_TMP/tree/Kconfig"
    printf 'config ARCH_SUPPORTS_RT\n\tbool\n\nconfig PREEMPT_RT\n\tbool "RT"\n\tdepends on ARCH_SUPPORTS_RT\n' \
        >"$KF_TMP/tree/kernel/Kconfig.preempt"
    cp -a "$KF_TMP/tree" "$KF_TMP/pristine"
    TREE=$KF_TMP/tree PRISTINE=$KF_TMP/pristine
}
fresh_upstream

# The patch, as a real diff of the tree: ARCH_SUPPORTS_RT selected, and
# localversion-rt created, as kernel.org's RT patches do.
mkdir -p "$KF_TMP/b"
cp -a "$TREE/." "$KF_TMP/b/"
sed -i 's/^\tbool$/\tdef_bool y/' "$KF_TMP/b/kernel/Kconfig.preempt"
echo "-rt8" >"$KF_TMP/b/localversion-rt"
(cd "$KF_TMP" && diff -urN --label a/kernel/Kconfig.preempt --label b/kernel/Kconfig.preempt \
    tree/kernel/Kconfig.preempt b/kernel/Kconfig.preempt; \
    diff -urN --label a/localversion-rt --label b/localversion-rt /dev/null b/localversion-rt) >"$KF_TMP/rt.patch" || true
grep -q '^+++ b/localversion-rt' "$KF_TMP/rt.patch" || fail "the test patch was not made"
printf -- '--- a/kernel/Kconfig.preempt\n+++ b/kernel/Kconfig.preempt\n@@ -1,2 +1,2 @@\n-config NOT_THERE\n+config X\n \tbool\n' \
    >"$KF_TMP/bad.patch"

# The kernel.org-shaped directory: the right one (6.1.15-rt8, a lower
# sublevel) under older/, and decoys: a higher sublevel, an -rc, another
# minor, and a lower one that would come second.
RT=$KF_TMP/rt/6.1
mkdir -p "$RT/older"
xz -c "$KF_TMP/rt.patch" >"$RT/older/patch-6.1.15-rt8.patch.xz"
xz -c "$KF_TMP/rt.patch" >"$RT/patch-6.1.30-rt12.patch.xz"
xz -c "$KF_TMP/rt.patch" >"$RT/patch-6.1-rc7-rt1.patch.xz"
xz -c "$KF_TMP/rt.patch" >"$RT/patch-6.6.30-rt30.patch.xz"
gzip -c "$KF_TMP/bad.patch" >"$RT/older/patch-6.1.10-rt5.patch.gz"
touch "$RT/older/patches-6.1.15-rt8.tar.xz" "$RT/sha256sums.asc"

cat >"$KF_TMP/make" <<'MAKE'
#!/bin/bash
# Kconfig in miniature: PREEMPT_RT survives only when the tree's
# Kconfig.preempt says ARCH_SUPPORTS_RT is def_bool y.
out= src=
for a in "$@"; do case $a in O=*) out=${a#O=} ;; esac; done
prev=
for a in "$@"; do [ "$prev" = -C ] && src=$a; prev=$a; done
case " $* " in
*" tinyconfig "*) printf 'CONFIG_BASE=y\n' >"$out/.config" ;;
*" olddefconfig "*) grep -q 'def_bool y' "$src/kernel/Kconfig.preempt" || sed -i '/^CONFIG_PREEMPT_RT=/d' "$out/.config" ;;
esac
exit 0
MAKE
chmod +x "$KF_TMP/make"
export KFLAVOUR_MAKE=$KF_TMP/make KFLAVOUR_NATIVE_ARCH=amd64
kf() { "$KFLAVOUR" -C "$TREE" "$@"; }
new_rt() { kf new rt --arch amd64 --base-config tinyconfig --set CONFIG_PREEMPT_RT=y "$@"; }

# --- without the patch: PREEMPT_RT is dropped, and the hint says where the patch is ---
expect_bad_new "did not survive Kconfig" "PREEMPT_RT on a tree without RT support" \
    rt --arch amd64 --base-config tinyconfig --set CONFIG_PREEMPT_RT=y
grep -q "hint: PREEMPT_RT needs ARCH_SUPPORTS_RT.*from 6.12 on.*projects/rt/6.1/" "$KF_TMP/err" ||
    { cat "$KF_TMP/err"; fail "no hint about the RT patch"; }
pass "PREEMPT_RT dropped on 6.1 without the patch: exit 2, the hint names kernel.org's rt/6.1/"

# --- bad input: each leaves the tree byte-identical and no scratch dir ---
expect_bad_new "no such file, directory or URL" "missing source" rt --base-config tinyconfig --rt-patch "$KF_TMP/none"
mkdir -p "$KF_TMP/higher"
cp "$RT/patch-6.1.30-rt12.patch.xz" "$RT/patch-6.1-rc7-rt1.patch.xz" "$KF_TMP/higher/"
expect_bad_new "only release candidates or higher sublevels.*patch-6.1-rc7-rt1.patch.xz, patch-6.1.30-rt12.patch.xz" \
    "only a higher sublevel and an -rc" rt --base-config tinyconfig --rt-patch "$KF_TMP/higher"
expect_bad_new "does not apply to this tree" "a patch file that does not apply" \
    rt --base-config tinyconfig --rt-patch "$KF_TMP/bad.patch"
mkdir -p "$KF_TMP/trunc"
head -c 100 "$RT/older/patch-6.1.15-rt8.patch.xz" >"$KF_TMP/trunc/patch-6.1.15-rt8.patch.xz"
expect_bad_new "patch-6.1.15-rt8.patch.xz is not a valid .xz file \(truncated or corrupt\)" "a truncated .xz" \
    rt --base-config tinyconfig --rt-patch "$KF_TMP/trunc"
no_scratch "bad input"
pass "bad input (missing, only higher/-rc, does not apply, truncated .xz): exit 2, tree byte-identical"

# --- a signature: good passes, bad is an error (gpgv over the uncompressed patch) ---
export GNUPGHOME=$KF_TMP/gnupg
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key "kflavour test <rt@example.com>" ed25519 sign never 2>/dev/null
gpg --batch --quiet --export >"$KF_TMP/keyring.gpg"
SIGNED=$KF_TMP/signed
mkdir -p "$SIGNED"
cp "$RT/older/patch-6.1.15-rt8.patch.xz" "$SIGNED/"
gpg --batch --quiet --detach-sign -o "$SIGNED/patch-6.1.15-rt8.patch.sign" "$KF_TMP/bad.patch"
expect_bad_new "bad signature: patch-6.1.15-rt8.patch.sign does not verify patch-6.1.15-rt8.patch.xz" "a bad signature" \
    rt --base-config tinyconfig --set CONFIG_PREEMPT_RT=y --rt-patch "$SIGNED" --keyring "$KF_TMP/keyring.gpg"
rm "$SIGNED/patch-6.1.15-rt8.patch.sign"
expect_bad_new "--keyring asks for a signature check, but .*patch-6.1.15-rt8.patch.sign does not exist" "no .sign" \
    rt --base-config tinyconfig --set CONFIG_PREEMPT_RT=y --rt-patch "$SIGNED" --keyring "$KF_TMP/keyring.gpg"
gpg --batch --quiet --detach-sign -o "$SIGNED/patch-6.1.15-rt8.patch.sign" "$KF_TMP/rt.patch"
kf --dry-run new rt --arch amd64 --base-config tinyconfig --set CONFIG_PREEMPT_RT=y --rt-patch "$SIGNED" \
    --keyring "$KF_TMP/keyring.gpg" >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/err"; fail "good signature"; }
grep -q "signature: good signature (gpgv, keyring.gpg)" "$KF_TMP/out" || { cat "$KF_TMP/err" "$KF_TMP/out"; fail "good signature not said"; }
expect_unchanged "--dry-run"
grep -q '^+config ARCH_SUPPORTS_RT' "$KF_TMP/out" && fail "the dry-run diff shows the wrong change"
grep -q '^+	def_bool y' "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "the dry-run diff lacks the patch"; }
unset GNUPGHOME
no_scratch "signatures"
pass "signatures: a bad one and a missing one are exit 2 with the tree unchanged; a good one is said; --dry-run shows the patch"

# --- the matching rule picks older/patch-6.1.15-rt8 and applies it with the flavour ---
new_rt --rt-patch "$RT" --json >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/err"; fail "new --rt-patch DIR"; }
json_true "$KF_TMP/out" 'j["rt_patch"]["name"] == "patch-6.1.15-rt8.patch.xz" and j["rt_patch"]["already_applied"] is False' ||
    { cat "$KF_TMP/out"; fail "wrong patch chosen"; }
json_true "$KF_TMP/out" '"newest stable RT patch of 6.1 below 6.1.20" in j["rt_patch"]["reason"]' || fail "no reason"
json_true "$KF_TMP/out" 'j["rt_patch"]["skipped"] == []' || fail "nothing should have been skipped"
[ "$(cat "$TREE/localversion-rt")" = "-rt8" ] || fail "localversion-rt not created"
grep -q 'def_bool y' "$TREE/kernel/Kconfig.preempt" || fail "Kconfig.preempt not patched"
grep -q '^CONFIG_PREEMPT_RT=y' "$TREE/kflavour/rt/amd64.config" || fail "PREEMPT_RT did not survive on the patched tree"
sha=$(sha256sum <"$KF_TMP/rt.patch" | cut -d' ' -f1)
grep -qx "Rt-Patch: patch-6.1.15-rt8.patch.xz" "$TREE/kflavour/rt.flavour" || fail "Rt-Patch not recorded"
grep -qx "Rt-Patch-Source: $RT" "$TREE/kflavour/rt.flavour" || fail "Rt-Patch-Source not recorded"
grep -qx "Rt-Patch-Sha256: $sha" "$TREE/kflavour/rt.flavour" || fail "Rt-Patch-Sha256 is not the uncompressed patch's"
no_scratch "apply"
pass "kernel.org directory: older/patch-6.1.15-rt8 chosen over the decoys, applied, recorded with its sha256"

# --- a re-run is a no-op; the build names the patch ---
cp -a "$TREE" "$KF_TMP/after"
new_rt --rt-patch "$RT" >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/err"; fail "re-run"; }
grep -q "already applied to this tree" "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "re-run: not said"; }
grep -q "nothing to do" "$KF_TMP/out" || fail "re-run: not a no-op"
diff -r "$KF_TMP/after" "$TREE" >/dev/null || fail "re-run changed the tree"
kf --dry-run build --flavour rt --no-chroot >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/err"; fail "build --dry-run"; }
grep -q "LOCALVERSION=-rt " "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "build: no LOCALVERSION"; }
grep -qx "# the tree carries the RT patch of rt: patch-6.1.15-rt8.patch.xz (sha256 $sha) from $RT" "$KF_TMP/out" ||
    { cat "$KF_TMP/out"; fail "build: the RT patch is not named"; }
grep -q "KDEB_PKGVERSION=6.1.20-rt8-1 " "$KF_TMP/out" || fail "build: the release lacks localversion-rt's -rt8"
pass "re-run: already applied, nothing to do, tree unchanged; build names the patch and the -rt8 release"

# --- the next candidate when the first does not apply; over HTTP ---
fresh_upstream
NEXT=$KF_TMP/next/6.1
mkdir -p "$NEXT/older"
gzip -c "$KF_TMP/bad.patch" >"$NEXT/patch-6.1.18-rt9.patch.gz"
xz -c "$KF_TMP/rt.patch" >"$NEXT/older/patch-6.1.15-rt8.patch.xz"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$KF_TMP/next" && exec python3 -m http.server --bind 127.0.0.1 "$port" >/dev/null 2>&1) &
KF_CLEANUPS+=("kill $!")
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/6.1/" >/dev/null && break; sleep 0.1; done
new_rt --rt-patch "http://127.0.0.1:$port/6.1/" --json >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/err"; fail "new --rt-patch URL"; }
json_true "$KF_TMP/out" 'j["rt_patch"]["name"] == "patch-6.1.15-rt8.patch.xz"' || { cat "$KF_TMP/out"; fail "URL: wrong patch"; }
grep -q "warning: patch-6.1.18-rt9.patch.gz does not apply to Linux 6.1.20.*trying the next candidate" "$KF_TMP/err" ||
    { cat "$KF_TMP/err"; fail "the skipped candidate is not named"; }
grep -qx "Rt-Patch-Source: http://127.0.0.1:$port/6.1/" "$TREE/kflavour/rt.flavour" || fail "URL source not recorded"
no_scratch "URL"
pass "over HTTP (index + older/): the first candidate does not apply, the next one is applied and said"

# --- Ctrl-C while the patch downloads: exit 130, tree unchanged, no scratch dir ---
# A server that accepts and never answers holds curl; Ctrl-C reaches the
# whole foreground process group (kflavour and curl), as setsid + kill -- -PGID does
# (with SIGINT not ignored, which a background job of a script would be).
fresh_upstream
stall=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4)
open(sys.argv[2], "w").close()
conns = [s.accept()[0] for _ in range(4)]
time.sleep(60)' "$stall" "$KF_TMP/stall.ready" &
KF_CLEANUPS+=("kill $!")
for _ in $(seq 100); do [ -e "$KF_TMP/stall.ready" ] && break; sleep 0.1; done
setsid env --default-signal=INT "$KFLAVOUR" -C "$TREE" new rt --arch amd64 --base-config tinyconfig --set CONFIG_PREEMPT_RT=y \
    --rt-patch "http://127.0.0.1:$stall/6.1/" >"$KF_TMP/out" 2>"$KF_TMP/err" &
pid=$!
for _ in $(seq 100); do pgrep -f "curl.*127.0.0.1:$stall" >/dev/null && break; sleep 0.1; done
pgrep -f "curl.*127.0.0.1:$stall" >/dev/null || { cat "$KF_TMP/err"; fail "curl never started"; }
kill -INT -- -"$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" = 130 ] || { cat "$KF_TMP/err"; fail "Ctrl-C during the download: exit $rc, want 130"; }
grep -q "^kflavour: error: interrupted (signal 2): no RT patch applied, the tree is unchanged" "$KF_TMP/err" ||
    { cat "$KF_TMP/err"; fail "Ctrl-C: not said"; }
expect_unchanged "Ctrl-C during the download"
no_scratch "Ctrl-C during the download"
pass "Ctrl-C while the patch downloads: exit 130, the tree unchanged, no scratch dir left"

# --- a quilt series directory; other tree kinds refuse --rt-patch ---
fresh_upstream
mkdir -p "$KF_TMP/series"
cp "$KF_TMP/rt.patch" "$KF_TMP/series/0001-rt.patch"
printf '# RT\n0001-rt.patch\n' >"$KF_TMP/series/series"
new_rt --rt-patch "$KF_TMP/series" >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/err"; fail "series"; }
grep -qx "Rt-Patch: series" "$TREE/kflavour/rt.flavour" || fail "series not recorded"
[ -e "$TREE/localversion-rt" ] || fail "series not applied"
fresh_trees
expect_bad_new "--rt-patch is for upstream kernel trees; this is an Ubuntu tree" "--rt-patch on an Ubuntu tree" \
    rt --def rt --rt-patch "$RT"
pass "a quilt series applies; an Ubuntu tree refuses --rt-patch (exit 2, unchanged)"
