# make_pkg DIR: a tiny debhelper C package (source kfhello-1.0 and its .dsc) in DIR.
# Sourced by the e2e tests that build a Debian source package.
make_pkg() {
    local d=$1/kfhello-1.0
    mkdir -p "$d/debian/source"
    cat >"$d/kfhello.c" <<'C'
#include <stdio.h>
int main(void) { puts("hello from kfhello"); return 0; }
C
    cat >"$d/Makefile" <<'MK'
CC ?= cc
kfhello: kfhello.c
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $<
install:
	install -D -m 755 kfhello $(DESTDIR)/usr/bin/kfhello
clean:
	rm -f kfhello
MK
    cat >"$d/debian/control" <<'CTL'
Source: kfhello
Section: misc
Priority: optional
Maintainer: Kflavour Test <test@example.com>
Build-Depends: debhelper-compat (= 13)
Standards-Version: 4.6.2
Rules-Requires-Root: no

Package: kfhello
Architecture: any
Depends: ${shlibs:Depends}, ${misc:Depends}
Description: kflavour e2e test program
 Prints a greeting.
CTL
    printf '%s\n' '#!/usr/bin/make -f' '%:' '	dh $@' '' 'override_dh_auto_install:' \
        '	$(MAKE) install DESTDIR=$(CURDIR)/debian/kfhello' >"$d/debian/rules"
    chmod +x "$d/debian/rules"
    echo "3.0 (native)" >"$d/debian/source/format"
    cat >"$d/debian/changelog" <<'CL'
kfhello (1.0) bookworm; urgency=medium

  * Test package.

 -- Kflavour Test <test@example.com>  Tue, 14 Nov 2023 22:13:20 +0000
CL
    (cd "$1" && dpkg-source -q -b kfhello-1.0 >/dev/null)
}
