#!/bin/bash
# bookworm's linux source package, a tickless flavour in featureset none,
# quick and cross arm64: built, verified, booted (debian-build-flavour.sh).
exec bash "$(dirname "$0")/debian-build-flavour.sh" none
