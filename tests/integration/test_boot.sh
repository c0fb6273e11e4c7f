#!/bin/bash
# kflavour boot with stand-in tools (no chroot, no kernel): tar fills the
# scratch root as dpkg would, unshare answers like the chroot's dpkg, and a
# fake qemu reads the initramfs kflavour wrote (with GNU cpio: an independent
# check of the newc writer) and answers like the guest's /init. Checks exit
# codes, output, --json, --timeout, and that SIGINT stops a qemu that ignores
# it and leaves no scratch dir. Needs root (boot refuses otherwise) and a
# static busybox on the host (busybox-static): skipped (77) without.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] && file -L "$BUSYBOX" | grep -q 'statically linked' || { echo "SKIP: no busybox-static"; exit 77; }

R=6.1.192-tickless
export KFLAVOUR_NATIVE_ARCH=amd64 KFLAVOUR_CHROOT_DIR=$KF_TMP/cache
export TMPDIR=$KF_TMP/tmp
mkdir -p "$TMPDIR" "$KFLAVOUR_CHROOT_DIR" "$KF_TMP/bin" "$KF_TMP/set"
: >"$KFLAVOUR_CHROOT_DIR/bookworm-amd64-f02b7892-essential.tar"
# The image is a real package (boot reads its Depends); no Depends, as bindeb-pkg's.
mkdir -p "$KF_TMP/pkg/DEBIAN"
printf 'Package: linux-image-%s\nVersion: 6.1.192-1\nArchitecture: amd64\nMaintainer: t <t@t>\nDescription: t\n' "$R" \
    >"$KF_TMP/pkg/DEBIAN/control"
dpkg-deb --root-owner-group -b "$KF_TMP/pkg" "$KF_TMP/set/linux-image-${R}_6.1.192-1_amd64.deb" >/dev/null
: >"$KF_TMP/set/linux-libc-dev_6.1.192-1_amd64.deb"

cat >"$KF_TMP/bin/tar" <<SH
#!/bin/sh
# tar -x -f TARBALL -C ROOT: the root after dpkg installed the set.
root=\$5
mkdir -p "\$root/boot" "\$root/usr/bin" "\$root/lib/modules/$R/kernel"
ln -s usr/bin "\$root/bin"
cp "$BUSYBOX" "\$root/usr/bin/busybox"
echo kernel >"\$root/boot/vmlinuz-$R"
if [ -n "\${FAKE_RT:-}" ]; then rt='CONFIG_PREEMPT_RT=y'; else rt='# CONFIG_PREEMPT_RT is not set'; fi
printf 'CONFIG_NO_HZ_FULL=y\n%s\nCONFIG_HZ=250\n' "\$rt" >"\$root/boot/config-$R"
echo mod >"\$root/lib/modules/$R/kernel/a.ko"
ln -s /usr/src/linux-headers-$R "\$root/lib/modules/$R/build"
SH
# Like the chroot's PID 1 under unshare --pid, FAKE_UNSHARE=deaf ignores SIGINT.
cat >"$KF_TMP/bin/unshare" <<'SH'
#!/bin/sh
if [ "${FAKE_UNSHARE:-}" = deaf ]; then trap '' INT TERM; sleep 60; fi
echo "kflavour-boot: dpkg -l"
echo "ii  linux-image-6.1.192-tickless  6.1.192-1    amd64        Linux kernel"
echo "ii  linux-libc-dev                6.1.192-1    amd64        headers"
SH
# The guest: reads /init's symbols and /boot/config from the initramfs.
cat >"$KF_TMP/bin/qemu" <<'SH'
#!/bin/bash
set -eu
case ${FAKE_QEMU:-boot} in
    hang) sleep 60; exit 0 ;;
    deaf) trap '' INT TERM; sleep 60 & wait $! || true; sleep 60; exit 0 ;;
    broken) echo "qemu-system-x86_64: could not load kernel"; exit 1 ;;
esac
while [ $# -gt 0 ]; do
    case $1 in -initrd) initrd=$2; shift ;; -append) append=$2; shift ;; -kernel) kernel=$2; shift ;; esac
    shift
done
[ -f "$kernel" ] || { echo "no kernel $kernel"; exit 1; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
(cd "$d" && zcat "$initrd" | cpio -id --quiet --no-absolute-filenames)
[ -x "$d/init" ] && [ -x "$d/bin/busybox" ] && [ -c "$d/dev/console" ] || { echo "bad initramfs"; ls -lR "$d"; exit 1; }
ls "$d/lib/modules/"*/kernel/a.ko >/dev/null
[ ! -e "$d/lib/modules/6.1.192-tickless/build" ] || { echo "build symlink copied"; exit 1; }
printf 'Linux version 6.1.192-tickless (fake)\r\n'
echo "kflavour-boot: begin"
echo "kflavour-boot: release ${FAKE_RELEASE:-6.1.192-tickless}"
echo "kflavour-boot: cmdline $append"
# A real-time kernel says so in uname -v and /sys/kernel/realtime, unless it
# is one in name only (FAKE_RT=name-only: the config says y, the kernel not).
if grep -q '^CONFIG_PREEMPT_RT=y' "$d/boot/config-6.1.192-tickless" && [ "${FAKE_RT:-}" != name-only ]; then
    echo "kflavour-boot: version #1 SMP PREEMPT_RT Tue Nov 14 22:13:20 UTC 2023"
    echo "kflavour-boot: realtime 1"
else
    echo "kflavour-boot: version #1 SMP PREEMPT_DYNAMIC Tue Nov 14 22:13:20 UTC 2023"
    echo "kflavour-boot: realtime absent"
fi
echo "kflavour-boot: config-source /boot/config-6.1.192-tickless"
for s in $(sed -n "s/^report '\?\(CONFIG_[A-Z0-9_]*\)'\?$/\1/p" "$d/init"); do
    line=$(grep -m1 "^$s=" "$d/boot/config-6.1.192-tickless" || true)
    echo "kflavour-boot: config ${line:-$s is not set}"
done
grep -q '^\$bb reboot -f$' "$d/init" && echo "kflavour-boot: end"
SH
chmod +x "$KF_TMP/bin/"*
export KFLAVOUR_TAR=$KF_TMP/bin/tar KFLAVOUR_UNSHARE=$KF_TMP/bin/unshare KFLAVOUR_QEMU_SYSTEM_X86_64=$KF_TMP/bin/qemu


# 1. Pass, human output.
"$KFLAVOUR" boot "$KF_TMP/set" --expect CONFIG_NO_HZ_FULL=y --expect CONFIG_PREEMPT_RT=n --cmdline "nohz_full=1" \
    >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/out" "$KF_TMP/err"; fail "boot did not pass"; }
grep -q "^  ii  linux-image-$R  6.1.192-1  amd64$" "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "no dpkg -l row"; }
grep -q "^  cmdline: console=ttyS0 panic=-1 nohz_full=1$" "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "cmdline"; }
grep -q "^  CONFIG_PREEMPT_RT=n: ok" "$KF_TMP/out" || fail "=n for a symbol that is not set"
grep -q "^PASS: $R booted" "$KF_TMP/out" || fail "no PASS line"
no_scratch pass
pass "boot passes; initramfs unpacks with GNU cpio"

# 2. --json.
"$KFLAVOUR" --json boot "$KF_TMP/set" --expect CONFIG_HZ=250 --cmdline "nohz_full=1 isolcpus=1" >"$KF_TMP/json"
python3 - "$KF_TMP/json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["passed"] and j["release"] == "6.1.192-tickless", j
assert j["expects"] == [{"symbol": "CONFIG_HZ", "expected": "250", "actual": "250", "holds": True}]
assert [p["package"] for p in j["installed"]] == ["linux-image-6.1.192-tickless", "linux-libc-dev"]
assert j["qemu"][-1] == "console=ttyS0 panic=-1 nohz_full=1 isolcpus=1" and j["qemu"][1:3] == ["-accel", "tcg"], j["qemu"]
assert j["module_files"] == 1 and j["initramfs_bytes"] > 100000
PY
pass "--json"

# 3. A failed expectation and a wrong release: exit 1, reasons and console tail.
expect_error 1 "boot check failed for $R: CONFIG_PREEMPT_RT: expected y, the running kernel has it not set" \
    "PREEMPT_RT" -- "$KFLAVOUR" boot "$KF_TMP/set" --expect CONFIG_PREEMPT_RT=y --expect CONFIG_HZ=250
grep -q '^console (last 30 lines):' "$KF_TMP/err" && grep -q '^FAIL: CONFIG_PREEMPT_RT' "$KF_TMP/err" || fail "no tail/FAIL"
grep -qx 'FAIL: not a real-time kernel: uname -v does not say PREEMPT_RT (.#1 SMP PREEMPT_DYNAMIC .*)' "$KF_TMP/err" ||
    { cat "$KF_TMP/err"; fail "a tickless kernel booted as RT: uname -v not named"; }
FAKE_RELEASE=6.1.0-other expect_error 1 "the running kernel is '6.1.0-other', the installed one is '$R'" \
    "wrong release" -- "$KFLAVOUR" boot "$KF_TMP/set"
no_scratch "failed checks"

# 3b. A real-time kernel: its own config asks for the three proofs, without --expect.
FAKE_RT=1 "$KFLAVOUR" boot "$KF_TMP/set" >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/out" "$KF_TMP/err"; fail "rt boot"; }
grep -q "^  real-time proofs (3 of 3 held):" "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "rt: proofs not shown"; }
grep -q "^    ok: uname -v says PREEMPT_RT: #1 SMP PREEMPT_RT" "$KF_TMP/out" || fail "rt: uname -v proof"
grep -q "^    ok: /sys/kernel/realtime reads 1" "$KF_TMP/out" || fail "rt: /sys/kernel/realtime proof"
grep -q "^    ok: CONFIG_PREEMPT_RT=y in /boot/config-" "$KF_TMP/out" || fail "rt: config proof"
FAKE_RT=name-only expect_error 1 "boot check failed for $R: not a real-time kernel: uname -v does not say PREEMPT_RT" \
    "an RT kernel in name only" -- "$KFLAVOUR" boot "$KF_TMP/set"
grep -q "^FAIL: not a real-time kernel: uname -v" "$KF_TMP/err" || fail "rt name-only: FAIL line"
no_scratch "real-time"
pass "a PREEMPT_RT kernel shows its three proofs; one that is RT in name only fails naming uname -v"

# 4. --timeout; SIGINT to a qemu that ignores it; qemu that cannot start.
FAKE_QEMU=hang expect_error 1 "did not finish within 1 s" "timeout" -- "$KFLAVOUR" boot "$KF_TMP/set" --timeout 1
# interrupt WHAT PATTERN ENV...: SIGINT once PATTERN runs; it ignores the
# signal, so kflavour must kill it (3 s later), exit 130 and leave no scratch.
interrupt() {
    local what=$1 pattern=$2 rc=0 start
    shift 2
    env "$@" "$KFLAVOUR" boot "$KF_TMP/set" >"$KF_TMP/int" 2>&1 &
    local pid=$!
    for _ in $(seq 1 100); do pgrep -f "$pattern" >/dev/null && break; sleep 0.1; done
    sleep 0.5
    start=$SECONDS
    kill -INT $pid
    wait $pid || rc=$?
    [ $rc = 130 ] || { cat "$KF_TMP/int"; fail "SIGINT during $what: exit $rc, want 130"; }
    ((SECONDS - start <= 4)) || fail "SIGINT during $what took $((SECONDS - start)) s"
    sleep 0.2
    pgrep -f "$pattern" && fail "$what ignoring SIGINT still runs"
    no_scratch "SIGINT during $what"
    pass "SIGINT during $what: killed, exit 130, scratch removed"
}
interrupt "the install" "$KF_TMP/bin/unshare" FAKE_UNSHARE=deaf
interrupt "the boot" "$KF_TMP/bin/qemu" FAKE_QEMU=deaf
FAKE_QEMU=broken expect_error 3 "qemu-system-x86_64 failed \(exit 1\);" "qemu fails" -- "$KFLAVOUR" boot "$KF_TMP/set"
grep -q "^  qemu-system-x86_64: could not load kernel" "$KF_TMP/err" || fail "qemu's output not shown"

# 5. Bad input, dry run.
mkdir -p "$KF_TMP/noimage" && : >"$KF_TMP/noimage/linux-libc-dev_1_amd64.deb"
expect_error 2 "no linux-image-\*\.deb among the 1 \.deb file" "no image" -- "$KFLAVOUR" boot "$KF_TMP/noimage"
expect_error 2 "bad --expect 'CONFIG_X'" "bad expect" -- "$KFLAVOUR" boot "$KF_TMP/set" --expect CONFIG_X
expect_error 2 "no linux-image-\*_arm64\.deb" "--arch not in the set" -- "$KFLAVOUR" boot "$KF_TMP/set" --arch arm64
mkdir -p "$KF_TMP/s390x" && : >"$KF_TMP/s390x/linux-image-1_1_s390x.deb"
expect_error 2 "does not know how to boot s390x" "unsupported arch" -- "$KFLAVOUR" boot "$KF_TMP/s390x"
"$KFLAVOUR" --dry-run boot "$KF_TMP/set" --cmdline nohz_full=1 >"$KF_TMP/dry"
grep -q "^timeout --kill-after=5 120 $KF_TMP/bin/qemu -accel tcg -m 256 -nographic -no-reboot -kernel ROOT/boot/vmlinuz-RELEASE -initrd INITRD -append 'console=ttyS0 panic=-1 nohz_full=1'$" "$KF_TMP/dry" ||
    { cat "$KF_TMP/dry"; fail "dry run"; }
grep -qx "# chroot bookworm-amd64-f02b7892-essential, extracted to a scratch ROOT; inside it:" "$KF_TMP/dry" ||
    { cat "$KF_TMP/dry"; fail "an image without Depends boots in the plain essential chroot"; }
# An image with Depends the set lacks (Ubuntu's: kmod, linux-base) gets them in its boot chroot.
mkdir -p "$KF_TMP/ubuntu"
sed -i 's/^Description: t$/Depends: kmod, linux-base (>= 4.5ubuntu1~16.04.1), linux-libc-dev\nDescription: t/' "$KF_TMP/pkg/DEBIAN/control"
dpkg-deb --root-owner-group -b "$KF_TMP/pkg" "$KF_TMP/ubuntu/linux-image-${R}_6.1.192-1_amd64.deb" >/dev/null
cp "$KF_TMP/set/linux-libc-dev_6.1.192-1_amd64.deb" "$KF_TMP/ubuntu/"
"$KFLAVOUR" --dry-run boot "$KF_TMP/ubuntu" >"$KF_TMP/dry2"
grep -q "^# chroot bookworm-amd64-[0-9a-f]*-essential, " "$KF_TMP/dry2" && ! grep -q "f02b7892" "$KF_TMP/dry2" ||
    { cat "$KF_TMP/dry2"; fail "the image's Depends do not change the boot chroot"; }
no_scratch "bad input"
pass "bad input and --dry-run (an image's Depends go into its boot chroot)"
