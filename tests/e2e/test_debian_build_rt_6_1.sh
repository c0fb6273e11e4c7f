#!/bin/bash
# bookworm's linux source package, a tickless flavour in featureset rt (built
# with Debian's own patches-rt), quick and cross arm64: built, verified, and
# booted as a real-time kernel (debian-build-flavour.sh).
exec bash "$(dirname "$0")/debian-build-flavour.sh" rt
