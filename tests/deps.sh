#!/bin/sh
# Install what building and testing husk needs, from Debian's archive only.
set -eu
PACKAGES="gcc make autoconf automake libtool pkgconf check
libyajl-dev libseccomp-dev libcap-dev
bats bats-support bats-assert busybox-static jq python3-jsonschema
util-linux iproute2 tmux procps qemu-system-x86 man-db
runc crun
clang libclang-rt-dev"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
