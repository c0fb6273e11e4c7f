#!/bin/bash
# kflavour boot on real kernel sets (issue 6): the tickless 6.1 kernels that
# the build e2e leaves in ${KF_E2E_SETS:-$KF_E2E_CACHE/sets}/tickless-{arm64,amd64}/
# (ctest runs this after it: fixture kernel_sets).
#  - each set installs with dpkg into a bookworm chroot of its arch (dpkg -l lists
#    the image) and boots under qemu (TCG) with CONFIG_NO_HZ_FULL=y and the
#    nohz_full=1 command line seen by the guest: exit 0;
#  - --expect CONFIG_PREEMPT_RT=y fails: exit 1, naming the symbol, console tail shown;
#  - a guest that never runs (qemu -S) hits --timeout: exit 1;
#  - SIGINT while qemu runs, or while dpkg runs in the arm64 chroot: exit 130,
#    no qemu, dpkg, mount or scratch dir left;
#  - bad input (no image in DIR, bad --expect): exit 2.
# Needs root, qemu-system-{x86,arm}, qemu-user-static + binfmt, mmdebstrap and
# Debian's mirror the first time (the chroots are cached in $KF_E2E_CHROOT_CACHE).
set -euo pipefail
: "${KFLAVOUR:?}" "${KF_SOURCE_DIR:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*  [$((SECONDS))s]"; }
[ "$(id -u)" = 0 ] || fail "needs root (CI runs as root)"

SETS=${KF_E2E_SETS:-${KF_E2E_CACHE:-/var/cache/kflavour-e2e}/sets}
export XDG_CACHE_HOME=${KF_E2E_CHROOT_CACHE:-${KF_E2E_CACHE:-/var/cache/kflavour-e2e}}
mkdir -p "$XDG_CACHE_HOME"
W=$(mktemp -d /var/tmp/kf-e2e-boot.XXXXXX)
export TMPDIR=$W/tmp   # kflavour's scratch roots land here: checked empty at the end
mkdir -p "$TMPDIR"
# On a tmpfs: unpacking and deleting a chroot copy on a disk busy with kernel
# builds takes ~30 s per run, on tmpfs a few seconds.
mount -t tmpfs -o size=2g,mode=0755 kf-e2e-boot "$TMPDIR"
trap 'umount "$TMPDIR"; rm -rf "$W"' EXIT

# dpkg in the arm64 chroot runs through qemu-user (docs/chroots.md).
if ! arch-test arm64 >/dev/null 2>&1; then
    [ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    update-binfmts --enable qemu-aarch64
fi

no_leftovers() {  # WHAT
    if [ -n "$(ls -A "$TMPDIR")" ]; then ls -la "$TMPDIR" >&2; fail "$1: scratch dir left in $TMPDIR"; fi
    if grep -q " $TMPDIR/" /proc/mounts; then grep " $TMPDIR/" /proc/mounts >&2; fail "$1: mounts left"; fi
    if pgrep -f "qemu-system.*$TMPDIR" >/dev/null; then fail "$1: qemu still running"; fi
}

for arch in arm64 amd64; do
    set_dir=$SETS/tickless-$arch
    image=$(ls "$set_dir"/linux-image-*_"$arch".deb 2>/dev/null | grep -v -- '-dbg_' | head -1) ||
        true
    [ -n "$image" ] || fail "no linux-image-*_$arch.deb in $set_dir (the build e2e makes it; or set KF_E2E_SETS)"
    package=$(dpkg-deb -f "$image" Package)
    release=${package#linux-image-}

    # 1. Pass: installed with dpkg, booted, nohz_full seen, NO_HZ_FULL=y.
    start=$SECONDS
    "$KFLAVOUR" --json boot "$set_dir" --expect CONFIG_NO_HZ_FULL=y --cmdline nohz_full=1 >"$W/$arch.json" \
        2>"$W/$arch.err" || { cat "$W/$arch.err" "$W/$arch.json"; fail "$arch: boot did not pass"; }
    python3 - "$W/$arch.json" "$package" "$release" "$arch" <<'PY' || fail "$arch: --json result"
import json, sys
j = json.load(open(sys.argv[1]))
package, release, arch = sys.argv[2:5]
assert j["passed"] is True and j["failures"] == [], j["failures"]
assert j["arch"] == arch, j["arch"]
assert j["release"] == release and j["running_release"] == release, (j["release"], j["running_release"])
assert "nohz_full=1" in j["cmdline"].split(), j["cmdline"]
assert j["config_source"] == "/proc/config.gz", j["config_source"]
assert j["expects"] == [{"symbol": "CONFIG_NO_HZ_FULL", "expected": "y", "actual": "y", "holds": True}], j["expects"]
assert any(p["package"] == package and p["status"] == "ii" and p["arch"] == arch for p in j["installed"]), j["installed"]
assert j["timed_out"] is False and 0 < j["boot_seconds"] < 120
print(f"  {arch}: {release} booted in {j['boot_seconds']:.1f} s (chroot {j['chroot']}: "
      f"{'created' if j['chroot_created'] else 'cached'} {j['chroot_seconds']:.1f} s, dpkg {j['install_seconds']:.1f} s); "
      f"dpkg -l: " + ", ".join(f"{p['status']} {p['package']}" for p in j["installed"]) +
      (f"; not installable: {j['not_installed']}" if j["not_installed"] else ""))
PY
    pass "$arch: boot passes (total $((SECONDS - start)) s)"

    # 2. A config the kernel does not have: exit 1, named, console tail shown.
    set +e
    "$KFLAVOUR" boot "$set_dir" --expect CONFIG_PREEMPT_RT=y --expect CONFIG_NO_HZ_FULL=y >"$W/rt.out" 2>"$W/rt.err"
    rc=$?
    set -e
    [ $rc = 1 ] || { cat "$W/rt.out" "$W/rt.err"; fail "$arch: PREEMPT_RT expectation: exit $rc, want 1"; }
    grep -q "^kflavour: error: boot check failed for $release: CONFIG_PREEMPT_RT: expected y, the running kernel has it not set" "$W/rt.err" ||
        { cat "$W/rt.err"; fail "$arch: the error does not name CONFIG_PREEMPT_RT"; }
    grep -q '^console (last 30 lines):' "$W/rt.err" || fail "$arch: no console tail"
    grep -q "kflavour-boot: config CONFIG_PREEMPT_RT is not set" "$W/rt.err" || fail "$arch: console tail lacks the report"
    grep -E "^(FAIL|kflavour: error):.*CONFIG_NO_HZ_FULL" "$W/rt.err" && fail "$arch: CONFIG_NO_HZ_FULL (which holds) reported as a failure"
    grep -Eq "^  ii  $package  " "$W/rt.out" || { cat "$W/rt.out"; fail "$arch: dpkg -l row not printed"; }
    pass "$arch: CONFIG_PREEMPT_RT=y fails with exit 1"
    no_leftovers "$arch"
done

# 3. A guest that never runs: qemu -S freezes the CPU until --timeout.
cat >"$W/frozen-qemu" <<'SH'
#!/bin/sh
exec qemu-system-x86_64 -S "$@"
SH
chmod +x "$W/frozen-qemu"
export KFLAVOUR_QEMU_SYSTEM_X86_64=$W/frozen-qemu
set +e
"$KFLAVOUR" boot "$SETS/tickless-amd64" --timeout 3 >"$W/to.out" 2>"$W/to.err"
rc=$?
set -e
[ $rc = 1 ] || { cat "$W/to.out" "$W/to.err"; fail "timeout: exit $rc, want 1"; }
grep -q "did not finish within 3 s" "$W/to.err" || { cat "$W/to.err"; fail "timeout not reported"; }
no_leftovers "timeout"
pass "--timeout stops a guest that never finishes"

# 4. SIGINT while qemu runs: qemu stopped, scratch root removed, exit 130.
"$KFLAVOUR" boot "$SETS/tickless-amd64" --timeout 600 >"$W/int.out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do pgrep -f "qemu-system-x86_64 -S .*$TMPDIR" >/dev/null && break; sleep 0.1; done
pgrep -f "qemu-system-x86_64 -S .*$TMPDIR" >/dev/null || { cat "$W/int.out"; fail "qemu did not start"; }
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ $rc = 130 ] || { cat "$W/int.out"; fail "SIGINT: exit $rc, want 130"; }
no_leftovers "SIGINT"
unset KFLAVOUR_QEMU_SYSTEM_X86_64
pass "SIGINT stops qemu and removes the scratch root"

# 4b. SIGINT while dpkg runs in the arm64 chroot (through qemu-user): the
# chroot's PID 1 ignores SIGINT, kflavour kills the namespace.
"$KFLAVOUR" boot "$SETS/tickless-arm64" >"$W/int2.out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do pgrep -f "dpkg --force-unsafe-io -i $SETS/tickless-arm64" >/dev/null && break; sleep 0.1; done
pgrep -f "dpkg --force-unsafe-io -i $SETS/tickless-arm64" >/dev/null || { cat "$W/int2.out"; fail "dpkg did not start"; }
start=$SECONDS
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ $rc = 130 ] || { cat "$W/int2.out"; fail "SIGINT during dpkg: exit $rc, want 130"; }
((SECONDS - start <= 15)) || fail "SIGINT during dpkg took $((SECONDS - start)) s"
pgrep -f "dpkg --force-unsafe-io -i $SETS/tickless-arm64" && fail "dpkg still running after SIGINT"
no_leftovers "SIGINT during dpkg"
pass "SIGINT during dpkg in the arm64 chroot: stopped, scratch root removed ($((SECONDS - start)) s)"

# 5. Bad input: exit 2.
mkdir -p "$W/empty"
cp "$SETS/tickless-amd64"/linux-libc-dev_*.deb "$W/empty/"
set +e
"$KFLAVOUR" boot "$W/empty" 2>"$W/bad.err"; rc1=$?
"$KFLAVOUR" boot "$SETS/tickless-amd64" --expect NO_HZ_FULL=y 2>>"$W/bad.err"; rc2=$?
set -e
[ $rc1 = 2 ] && [ $rc2 = 2 ] || { cat "$W/bad.err"; fail "bad input: exits $rc1 $rc2, want 2 2"; }
grep -q "no linux-image-\*.deb" "$W/bad.err" && grep -q "bad --expect 'NO_HZ_FULL=y'" "$W/bad.err" ||
    { cat "$W/bad.err"; fail "bad input messages"; }
no_leftovers "bad input"
pass "bad input: exit 2"

# Rootless: an unprivileged user with subuid ranges boots the arm64 set
# (dpkg in a user namespace; the kernel and modules copied out as the user).
U=kfbuild
source "$(dirname "$0")/user.sh"
test_user "$U"
UT=$(mktemp -d /var/tmp/kf-e2e-user.XXXXXX)
chown "$U:" "$UT"
start=$SECONDS
runuser -u "$U" -- env HOME="$(getent passwd "$U" | cut -d: -f6)" TMPDIR="$UT" XDG_CACHE_HOME="$XDG_CACHE_HOME" \
    "$KFLAVOUR" --json boot "$SETS/tickless-arm64" --expect CONFIG_NO_HZ_FULL=y --cmdline nohz_full=1 \
    >"$W/user.json" 2>"$W/user.err" || { cat "$W/user.err" "$W/user.json"; fail "unprivileged arm64 boot did not pass"; }
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["passed"] is True and j["expects"][0]["actual"] == "y", j' \
    "$W/user.json" || fail "unprivileged boot: --json result"
left=$(ls -A "$UT")
rm -rf "$UT"
[ -z "$left" ] || fail "the unprivileged boot left scratch files: $left"
pass "as $U (user namespace): the arm64 tickless set installs with dpkg and boots, NO_HZ_FULL=y ($((SECONDS - start)) s)"
echo "e2e boot: ${SECONDS}s"
