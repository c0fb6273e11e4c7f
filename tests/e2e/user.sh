# test_user NAME: the unprivileged e2e user, with subuid and subgid ranges.
# Tests of both e2e lanes (tests/CMakeLists.txt) may ask at once, and useradd
# fails while another holds /etc/passwd's lock: one at a time.
test_user() {
    (
        flock 9
        id "$1" >/dev/null 2>&1 || useradd -m -s /bin/bash "$1"
        grep -q "^$1:" /etc/subuid || echo "$1:200000:65536" >>/etc/subuid
        grep -q "^$1:" /etc/subgid || echo "$1:200000:65536" >>/etc/subgid
    ) 9>/tmp/kflavour-e2e-user.lock
}
