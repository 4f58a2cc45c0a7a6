#!/bin/bash
# The cgroup bats files on pure cgroup v2: boots Debian's kernel in qemu with cgroup_no_v1=all
# and runs them there against a husk build tree.  The host's / is shared read-only over
# virtio-9p; the guest's root is an overlay of it with a tmpfs upper layer; no network.
#
#   tests/vm/v2.sh [BUILD_DIR] [bats files...]
#       BUILD_DIR: a configured and built tree (its src/husk is tested); default: $HUSK's
#       directory's parent.  Files default to the cgroup ones, tests/integration/2*.bats (about
#       8 minutes under TCG on a busy host); name others to run them too (010-lifecycle.bats
#       passes there as well, 10 more minutes).
#
# Environment: HUSK_VM_CACHE (the unpacked kernel, default /var/tmp/husk-vm-kernel; kept
# between runs, never installed into /boot), HUSK_VM_ACCEL (kvm or tcg; default: kvm when a
# probe boot works, else tcg), HUSK_VM_TIMEOUT (seconds for the whole run, default 900),
# HUSK_VM_MEM (MiB, default 2048), HUSK_VM_CPUS (default 2).
# Prints the guest's serial console, then "layout: v2" and the counts line; exits non-zero when
# a test failed or the guest did not finish.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
cache=${HUSK_VM_CACHE:-/var/tmp/husk-vm-kernel}
timeout_s=${HUSK_VM_TIMEOUT:-900}
# The modules Debian's kernel needs for the 9p root and its overlay (the rest is built in).
modules="9pnet_virtio virtio_pci 9p overlay"

die() {
	echo "v2.sh: $*" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}

build=
if [[ $# -gt 0 && -d $1 ]]; then
	build=$(cd "$1" && pwd)
	shift
elif [[ -n ${HUSK:-} && $HUSK == */src/husk ]]; then
	build=$(cd "$(dirname "$HUSK")/.." && pwd)
fi
[[ -n $build && -x $build/src/husk ]] || die "no husk build tree (usage: v2.sh BUILD_DIR [files])"
if [[ $# -eq 0 ]]; then
	set -- "$src"/tests/integration/2*.bats
fi
files=()
for f in "$@"; do
	[[ -f $f ]] || die "no such bats file: $f"
	files+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")")
done
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (tests/deps.sh)"
[[ -x /bin/busybox ]] || die "/bin/busybox missing (busybox-static)"

# ---- the kernel: the package linux-image-amd64 depends on, unpacked into the cache ----
fetch_kernel() {
	local pkg
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
	[[ -n $pkg ]] || die "apt-cache depends linux-image-amd64: no kernel package"
	if [[ ! -e $cache/$pkg/.done ]]; then
		echo "v2.sh: fetching $pkg into $cache" >&2
		rm -rf "${cache:?}/$pkg"
		mkdir -p "$cache/$pkg"
		(cd "$cache/$pkg" && apt-get download -q "$pkg" >/dev/null 2>&1 &&
			dpkg-deb -x ./*.deb root && rm -f ./*.deb) || die "could not fetch $pkg"
		touch "$cache/$pkg/.done"
	fi
	kroot=$cache/$pkg/root
	kernel=$(ls "$kroot"/boot/vmlinuz-* | head -n 1)
	kmods=$(ls -d "$kroot"/lib/modules/* | head -n 1)
}

# mod_file NAME: the .ko of module NAME ('-' and '_' are the same in module names).
mod_file() {
	find "$kmods/kernel" -name "$1.ko" -o -name "${1//_/-}.ko" | head -n 1
}

# mod_order NAME...: the modules with their dependencies (from each .ko's modinfo "depends="
# field: the package has no modules.dep, depmod runs at install), dependencies first.
declare -A mod_seen=()
mod_order() {
	local m f deps d
	for m in "$@"; do
		[[ -n ${mod_seen[$m]:-} ]] && continue
		mod_seen[$m]=1
		f=$(mod_file "$m")
		[[ -n $f ]] || die "module $m not in the kernel package"
		deps=$(tr '\0' '\n' <"$f" | sed -n 's/^depends=//p' | head -n 1)
		for d in ${deps//,/ }; do
			mod_order "$d"
		done
		echo "$f"
	done
}

# ---- the initramfs: busybox, the modules, init (tests/vm/initramfs-init) ----
make_initramfs() {
	local dir=$work/initramfs f
	mkdir -p "$dir"/{bin,dev,proc,sys,lower,rw,newroot,lib/modules}
	cp /bin/busybox "$dir/bin/busybox"
	cp "$here/initramfs-init" "$dir/init"
	chmod 0755 "$dir/init"
	: >"$dir/lib/modules/order"
	while read -r f; do
		cp "$f" "$dir/lib/modules/"
		basename "$f" >>"$dir/lib/modules/order"
	done < <(mod_order $modules)
	(cd "$dir" && find . | /bin/busybox cpio -o -H newc 2>/dev/null) >"$work/initramfs.cpio" ||
		die "could not build the initramfs"
}

# qemu_run ACCEL TIMEOUT LOG APPEND: boot the guest; the console goes to LOG.  Returns qemu's
# status, or 124 when it had to be killed (by the pid recorded here, never by name).
qemu_run() {
	local accel=$1 limit=$2 log=$3 append=$4 qpid deadline rc=0
	local accel_opt=kvm
	[[ $accel == tcg ]] && accel_opt=tcg,thread=multi
	qemu-system-x86_64 -accel "$accel_opt" -m "${HUSK_VM_MEM:-2048}" \
		-smp "${HUSK_VM_CPUS:-2}" -cpu max -nographic -nic none -no-reboot \
		-kernel "$kernel" -initrd "$work/initramfs.cpio" -append "$append" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		</dev/null >"$log" 2>&1 &
	qpid=$!
	deadline=$((SECONDS + limit))
	while kill -0 "$qpid" 2>/dev/null; do
		if ((SECONDS >= deadline)); then
			kill "$qpid" 2>/dev/null
			sleep 2
			kill -9 "$qpid" 2>/dev/null
			{ wait "$qpid"; } 2>/dev/null
			return 124
		fi
		sleep 1
	done
	# (a guest qemu aborts on, as KVM does here, is reported by our caller, not by bash)
	{ wait "$qpid"; } 2>/dev/null || rc=$?
	return "$rc"
}

fetch_kernel
work=$(mktemp -d /var/tmp/husk-vm.XXXXXX)
tailpid=
cleanup() {
	[[ -n $tailpid ]] && kill "$tailpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
make_initramfs

base="console=ttyS0 quiet panic=-1 cgroup_no_v1=all"
accel=${HUSK_VM_ACCEL:-}
if [[ -z $accel ]]; then
	# /dev/kvm may exist and still not run a guest (nested virtualisation): probe it.
	accel=tcg
	if [[ -w /dev/kvm ]] &&
		qemu_run kvm 30 "$work/probe.log" "$base HUSK_VM_PROBE=1" 2>/dev/null &&
		grep -q HUSK-VM-PROBE-OK "$work/probe.log"; then
		accel=kvm
	else
		echo "v2.sh: KVM cannot run the guest here ($(grep -m 1 -i -E 'kvm|error' \
			"$work/probe.log" 2>/dev/null | tr -d '\r' || echo "probe failed")): TCG"
	fi
fi
echo "v2.sh: $(basename "$kernel"), accel $accel, ${#files[@]} bats files, husk from $build"

list=$(IFS=,; echo "${files[*]}")
append="$base HUSK_VM_SRC=$src HUSK_VM_BUILD=$build HUSK_VM_FILES=$list"
((${#append} < 2000)) || die "kernel command line too long: pass fewer files"
log=$work/console.log
: >"$log"
# The console live (with its \r; the counts line printed at the end is clean).
tail -s 0.2 -n +1 -f "$log" &
tailpid=$!
start=$SECONDS
rc=0
qemu_run "$accel" "$timeout_s" "$log" "$append" || rc=$?
sleep 0.5
[[ -z ${HUSK_VM_LOG:-} ]] || cp "$log" "$HUSK_VM_LOG"
kill "$tailpid" 2>/dev/null
wait "$tailpid" 2>/dev/null || true
tailpid=

counts=$(tr -d '\r' <"$log" | grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' |
	tail -n 1 || true)
layout=$(tr -d '\r' <"$log" | sed -n 's/^layout: //p' | tail -n 1)
done_rc=$(tr -d '\r' <"$log" | sed -n 's/^HUSK-VM-DONE rc=//p' | tail -n 1)
echo "v2.sh: guest ran $((SECONDS - start)) s (qemu exit $rc)"
echo "layout: ${layout:-unknown}"
if [[ -z $done_rc || -z $counts ]]; then
	if ((rc == 124)); then
		echo "v2.sh: the guest did not finish within $timeout_s s"
	else
		echo "v2.sh: the guest stopped before the tests finished"
	fi
	read -r p _ f _ s _ <<<"${counts//,/}"
	echo "${p:-0} passed, $((${f:-0} + 1)) failed, ${s:-0} skipped"
	exit 1
fi
if [[ $layout != v2 ]]; then
	echo "v2.sh: the guest's cgroup layout is '$layout', not v2"
	read -r p _ f _ s _ <<<"${counts//,/}"
	echo "$p passed, $((f + 1)) failed, $s skipped"
	exit 1
fi
echo "$counts"
[[ $done_rc == 0 ]]
