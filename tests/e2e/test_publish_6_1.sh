#!/bin/bash
# kflavour publish (issue 14) end to end, as a machine of a test cluster sees it:
#  1. two versions of the real tickless amd64 set: the build e2e's (6.1.192)
#     and a build of the same tree as 6.1.193 (its Makefile's SUBLEVEL, so the
#     packages get new names and install beside the old ones; ccache makes it quick);
#  2. publish 6.1.192 with a throw-away gpg key;
#  3. serve the repository over HTTP on 127.0.0.1 (python3 -m http.server);
#  4. in a clean bookworm chroot with the client config: apt-get install
#     linux-tickless installs the 6.1.192 image;
#  5. publish 6.1.193: apt-get upgrade installs it, 6.1.192 stays installed;
#  6. apt-get install linux-tickless-cmdline writes the grub.d file and runs a
#     stand-in update-grub; removing it removes the file and runs it again;
#  7. a tampered InRelease makes apt-get update fail on the signature;
#  8. publishing 6.1.192 again changes nothing (same Release);
#  9. a rebuilt file under 6.1.192's name is refused;
# 10. SIGINT during a publish leaves a repository apt-get update accepts.
# Needs root, the kernel_sets fixture and Debian's mirror (the client chroot's
# dependencies: kmod, linux-base, initramfs-tools).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kernel_build_env
SETS=${KF_E2E_SETS:-$KF_E2E_CACHE/sets}
V1=$SETS/tickless-amd64
[ -s "$V1/manifest.json" ] || fail "no amd64 set in $V1: run e2e.test_build_6_1 first"

export GNUPGHOME=$KF_TMP/gnupg
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key "kflavour e2e <e2e@example.com>" ed25519 sign never 2>/dev/null
REPO=$KF_TMP/repo
ROOT=$KF_TMP/client
PORT=$((20000 + RANDOM % 20000))
HTTP_PID=
cleanup() {
    [ -z "$HTTP_PID" ] || kill "$HTTP_PID" 2>/dev/null || true
    umount "$ROOT/proc" 2>/dev/null || true
    gpgconf --kill gpg-agent 2>/dev/null || true
    # Never delete through a mount that is still there.
    if grep -q " $ROOT/" /proc/mounts; then echo "note: $ROOT still has mounts; left in place" >&2; else rm -rf "$KF_TMP"; fi
}
trap cleanup EXIT
in_client() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
status_of() { in_client dpkg-query -W -f '${db:Status-Abbrev}' "$1" 2>/dev/null | tr -d ' ' || true; }

step "1. a second version: the tree as 6.1.193"
# Kept beside the fixture's sets; KF_E2E_REUSE_V2=1 reuses it (iteration on later steps).
V2=$SETS/tickless-amd64-6.1.193
if [ "${KF_E2E_REUSE_V2:-0}" = 1 ] && [ -s "$V2/manifest.json" ]; then
    pass "6.1.193-tickless reused from $V2"
else
    # test_build_6_1's amd64 tree, at its path: ccache's preprocessed mode gives
    # back every object the version does not reach (autoconf.h's first line names it).
    V2_TREE=$(tickless_tree amd64)
    sed -i 's/^SUBLEVEL = 192$/SUBLEVEL = 193/' "$V2_TREE/Makefile"   # sed -i writes a new file: the hard link breaks
    grep -qx 'SUBLEVEL = 193' "$V2_TREE/Makefile" || fail "the tree's SUBLEVEL is not 192"
    # A new kernel version: the resolved config is resolved again, as a user would.
    "$KFLAVOUR" -q -C "$V2_TREE" config resolve --arch amd64 --flavour tickless >/dev/null 2>&1 || fail "config resolve of 6.1.193"
    CHROOT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["chroot"])' "$V1/manifest.json")
    "$KFLAVOUR" -C "$V2_TREE" build --chroot "$CHROOT" --pkg-version 6.1.193-1 --out "$V2" >"$KF_TMP/v2.txt" 2>&1 ||
        { tail -30 "$KF_TMP/v2.txt"; fail "the 6.1.193 build"; }
    ls "$V2"/linux-image-6.1.193-tickless_6.1.193-1_amd64.deb >/dev/null || fail "no 6.1.193 image"
    pass "6.1.193-tickless built ($(grep -E '^  compile ' "$KF_TMP/v2.txt" | tr -s ' '))"
fi

step "2. publish 6.1.192"
"$KFLAVOUR" publish "$V1" --repo "$REPO" >"$KF_TMP/out" 2>&1 || { cat "$KF_TMP/out"; fail "publish v1"; }
"$KFLAVOUR" publish --repo "$REPO" --client-config "$KF_TMP/cc" --url "http://127.0.0.1:$PORT" --name lab >/dev/null
pass "published: $(head -1 "$KF_TMP/out")"

step "3. serve it over HTTP"
python3 -m http.server --bind 127.0.0.1 --directory "$REPO" "$PORT" >"$KF_TMP/http.log" 2>&1 &
HTTP_PID=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/dists/bookworm/Release" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$PORT/dists/bookworm/Release" >/dev/null || fail "the HTTP server does not answer"
pass "http://127.0.0.1:$PORT/"

step "4. a clean bookworm client installs linux-tickless"
"$KFLAVOUR" -q chroot create bookworm --arch amd64 --variant apt --name bookworm-amd64-client >/dev/null ||
    fail "the client chroot"
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$XDG_CACHE_HOME/kflavour/chroots/bookworm-amd64-client.tar"
mount -t proc proc "$ROOT/proc"   # /dev: the chroot's tarball has the device nodes
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mkdir -p "$ROOT/etc/apt/keyrings"
cp "$KF_TMP/cc/lab.sources" "$ROOT/etc/apt/sources.list.d/"
cp "$KF_TMP/cc/lab.gpg" "$ROOT/etc/apt/keyrings/"
# A stand-in update-grub that records its calls (no boot loader in a chroot).
printf '#!/bin/sh\necho "update-grub $*" >>/var/log/update-grub.calls\n' >"$ROOT/usr/sbin/update-grub"
chmod +x "$ROOT/usr/sbin/update-grub"
in_client apt-get update >"$KF_TMP/apt.log" 2>&1 || { cat "$KF_TMP/apt.log"; fail "apt-get update"; }
in_client apt-get install -y --no-install-recommends linux-tickless >"$KF_TMP/apt.log" 2>&1 ||
    { tail -30 "$KF_TMP/apt.log"; fail "apt-get install linux-tickless"; }
[ "$(status_of linux-image-6.1.192-tickless)" = ii ] || fail "linux-image-6.1.192-tickless is not ii"
[ "$(status_of linux-tickless)" = ii ] || fail "linux-tickless is not ii"
pass "apt-get install linux-tickless: linux-image-6.1.192-tickless ii"

step "5. publish 6.1.193; apt-get upgrade follows it"
"$KFLAVOUR" publish "$V2" --repo "$REPO" --cmdline "nohz_full=1 rcu_nocbs=1" >"$KF_TMP/out" 2>&1 ||
    { cat "$KF_TMP/out"; fail "publish v2"; }
in_client apt-get update >"$KF_TMP/apt.log" 2>&1 || { cat "$KF_TMP/apt.log"; fail "apt-get update (v2)"; }
in_client apt-get upgrade -y --with-new-pkgs >"$KF_TMP/apt.log" 2>&1 || { tail -30 "$KF_TMP/apt.log"; fail "apt-get upgrade"; }
[ "$(status_of linux-image-6.1.193-tickless)" = ii ] || { tail -30 "$KF_TMP/apt.log"; fail "6.1.193 was not installed"; }
[ "$(status_of linux-image-6.1.192-tickless)" = ii ] || fail "6.1.192 did not stay installed"
[ "$(in_client dpkg-query -W -f '${Version}' linux-tickless)" = 6.1.193-1 ] || fail "linux-tickless is not 6.1.193-1"
pass "apt-get upgrade: linux-image-6.1.193-tickless ii, 6.1.192 still ii"

step "6. linux-tickless-cmdline"
in_client apt-get install -y linux-tickless-cmdline >"$KF_TMP/apt.log" 2>&1 || { tail -20 "$KF_TMP/apt.log"; fail "install cmdline"; }
grep -qx 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT nohz_full=1 rcu_nocbs=1"' \
    "$ROOT/etc/default/grub.d/kflavour-tickless.cfg" || fail "the grub.d file"
[ "$(grep -c . "$ROOT/var/log/update-grub.calls")" -ge 1 ] || fail "update-grub did not run on install"
calls=$(grep -c . "$ROOT/var/log/update-grub.calls")
in_client apt-get remove -y linux-tickless-cmdline >"$KF_TMP/apt.log" 2>&1 || fail "remove cmdline"
[ ! -e "$ROOT/etc/default/grub.d/kflavour-tickless.cfg" ] || fail "the grub.d file stayed after remove"
[ "$(grep -c . "$ROOT/var/log/update-grub.calls")" -gt "$calls" ] || fail "update-grub did not run on remove"
pass "linux-tickless-cmdline: grub.d file written, update-grub run; removed again"

step "7. a tampered InRelease"
IR=$REPO/dists/bookworm/InRelease
cp "$IR" "$KF_TMP/InRelease.orig"
sed -i '0,/^Date: .*$/s/^Date: \(.\)/Date:  \1/' "$IR"   # one byte more in a signed line
cmp -s "$IR" "$KF_TMP/InRelease.orig" && fail "the tamper changed nothing"
# apt keeps the previous indexes and only warns; --error-on=any makes that an exit status.
rc=0; in_client apt-get update --error-on=any >"$KF_TMP/apt.log" 2>&1 || rc=$?
[ "$rc" != 0 ] && grep -q "The following signatures were invalid: BADSIG" "$KF_TMP/apt.log" ||
    { cat "$KF_TMP/apt.log"; fail "apt-get update accepted a tampered InRelease (exit $rc)"; }
cp "$KF_TMP/InRelease.orig" "$IR"
in_client apt-get update >"$KF_TMP/apt2.log" 2>&1 || { cat "$KF_TMP/apt2.log"; fail "apt-get update after restoring"; }
pass "a tampered InRelease: apt-get update exits $rc: $(grep -Eo 'BADSIG [0-9A-F]+|signatures were invalid[^.]*' "$KF_TMP/apt.log" | head -1)"

step "8. publishing 6.1.192 again"
before=$(sha256sum <"$REPO/dists/bookworm/Release")
"$KFLAVOUR" publish "$V1" --repo "$REPO" >"$KF_TMP/out" 2>&1 || { cat "$KF_TMP/out"; fail "re-publish v1"; }
grep -q "nothing to do" "$KF_TMP/out" || fail "re-publish: not 'nothing to do'"
[ "$(sha256sum <"$REPO/dists/bookworm/Release")" = "$before" ] || fail "re-publish changed Release"
pass "re-publish: nothing to do, the same Release"

step "9. a rebuilt file under 6.1.192's name"
mkdir -p "$KF_TMP/rebuilt"
cp "$V1"/*.deb "$V1/manifest.json" "$KF_TMP/rebuilt/"
img=$(ls "$KF_TMP/rebuilt"/linux-image-6.1.192-tickless_*.deb)
dpkg-deb -R "$img" "$KF_TMP/unpacked" && rm "$img"
dpkg-deb --root-owner-group -Zgzip --build "$KF_TMP/unpacked" "$img" >/dev/null
rc=0; "$KFLAVOUR" publish "$KF_TMP/rebuilt" --repo "$REPO" >"$KF_TMP/out" 2>&1 || rc=$?
[ "$rc" = 2 ] && grep -q "already published with other contents" "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "a rebuilt file: exit $rc"; }
[ "$(sha256sum <"$REPO/dists/bookworm/Release")" = "$before" ] || fail "the refused publish changed Release"
pass "a rebuilt 6.1.192 image is refused: $(grep error "$KF_TMP/out" | cut -c1-100)…"

step "10. SIGINT during a publish"
# The signal lands while gpg signs the new generation (a stand-in that waits first).
cat >"$KF_TMP/slow-gpg" <<'SH'
#!/bin/bash
case " $* " in *" --clearsign "*) echo $$ >"$SLOW_MARK"; sleep 30 ;; esac
exec gpg "$@"
SH
chmod +x "$KF_TMP/slow-gpg"
before=$(sha256sum <"$REPO/dists/bookworm/InRelease")
SLOW_MARK=$KF_TMP/slow.mark KFLAVOUR_GPG=$KF_TMP/slow-gpg "$KFLAVOUR" publish "$V2" --repo "$REPO" --keep 1 >"$KF_TMP/out" 2>&1 &
kfpid=$!
for _ in $(seq 150); do [ -s "$KF_TMP/slow.mark" ] && break; sleep 0.2; done
[ -s "$KF_TMP/slow.mark" ] || { cat "$KF_TMP/out"; fail "the publish never reached signing"; }
kill -INT "$kfpid"
rc=0; wait "$kfpid" || rc=$?
[ "$rc" = 130 ] || { cat "$KF_TMP/out"; fail "SIGINT: exit $rc, want 130"; }
[ "$(sha256sum <"$REPO/dists/bookworm/InRelease")" = "$before" ] || fail "SIGINT changed the published InRelease"
in_client apt-get update >"$KF_TMP/apt.log" 2>&1 || { cat "$KF_TMP/apt.log"; fail "apt-get update after SIGINT"; }
n=$(grep -c '^Package: linux-image-6.1.19[23]-tickless$' "$REPO/dists/bookworm/main/binary-amd64/Packages")
[ "$n" = 2 ] || fail "after SIGINT: $n kernels in the index, want the old 2"
[ "$(ls "$REPO/.kflavour/gen")" = "$(readlink "$REPO/dists" | cut -d/ -f3)" ] || fail "after SIGINT: a generation left behind"
pass "SIGINT while signing: exit 130, the old repository as it was (apt-get update accepts it, both kernels)"
