#!/usr/bin/env bats
# The man pages and the bash completion against the code: every command of husk.c's table has
# man/husk-<command>.8, every long flag of each command's getopt table (src/cmd/*.c) and its
# short letters appear in that page and in contrib/completions/bash/husk, the global options in
# husk.8; every page renders without a warning (man-db).  No container is run.

load helpers

MAN_DIR=$SRC_DIR/man
COMPLETION=$SRC_DIR/contrib/completions/bash/husk

setup() {
	command -v man >/dev/null || fail "man is not installed (apt-get install man-db)"
}

teardown() {
	:
}

# long_flags FILE [TABLE_VAR]: the names of `static const struct option` tables in FILE,
# one per line; with "before-run-only", only the entries above create.c's "run only" comment.
long_flags() {
	awk -v part="${2:-}" '
		/static const struct option/ { in_t = 1; next }
		in_t && /run only/ { if (part == "before-run-only") in_t = 0; next }
		in_t && /NULL, 0, NULL, 0/ { in_t = 0; next }
		in_t { if (match($0, /"[a-z0-9-]+"/)) print substr($0, RSTART + 1, RLENGTH - 2) }
	' "$1"
}

# short_flags FILE: the letters of the getopt_long option strings in FILE
short_flags() {
	grep -o 'getopt_long([^"]*"[^"]*"' "$1" | sed 's/.*"\(.*\)"/\1/' | tr -d '+:' | fold -w1 |
		sort -u
}

# in_page PAGE FLAG: the page mentions the flag as roff writes it ("\-\-bundle", "\-b")
in_page() {
	local page=$1 flag=$2 roff
	roff=${flag//-/\\-}
	grep -qF -- "$roff" "$page" || fail "$(basename "$page") does not document $flag"
}

check_cmd_file() {
	local src=$1 page=$2 part=${3:-} f
	[[ -f $page ]] || fail "missing $page" || return
	for f in $(long_flags "$src" "$part"); do
		in_page "$page" "--$f" || return
		# a one-letter long name is a short flag's spelling ("-r" for update --resources)
		if ((${#f} > 1)); then
			grep -qw -- "--$f" "$COMPLETION" || fail "completion lacks --$f" || return
		fi
	done
	if [[ -z $part ]]; then
		for f in $(short_flags "$src"); do
			in_page "$page" "-$f" || return
		done
	fi
}

@test "man: a page for husk and for every command of husk.c's table" {
	local cmd
	[[ -f $MAN_DIR/husk.8 ]]
	for cmd in $(awk '/^} commands\[\] = {/,/^};/' "$SRC_DIR/src/husk.c" |
		grep -o '{ "[a-z]*"' | tr -d '{" '); do
		[[ -f $MAN_DIR/husk-$cmd.8 ]] || fail "missing man/husk-$cmd.8"
		in_page "$MAN_DIR/husk.8" "$cmd"
		grep -qw "$cmd" "$COMPLETION" || fail "completion lacks the command $cmd"
	done
}

@test "man: husk.8 documents every global option" {
	local f
	for f in $(long_flags "$SRC_DIR/src/husk.c"); do
		in_page "$MAN_DIR/husk.8" "--$f"
		grep -qw -- "--$f" "$COMPLETION" || fail "completion lacks --$f"
	done
	for f in v h; do
		in_page "$MAN_DIR/husk.8" "-$f"
	done
}

@test "man: every command flag of src/cmd/*.c is in its page" {
	local src name
	# create.c parses create and run: run has all its flags, create those above "run only"
	check_cmd_file "$SRC_DIR/src/cmd/create.c" "$MAN_DIR/husk-run.8"
	check_cmd_file "$SRC_DIR/src/cmd/create.c" "$MAN_DIR/husk-create.8" before-run-only
	in_page "$MAN_DIR/husk-create.8" "-b"
	for src in "$SRC_DIR"/src/cmd/*.c; do
		name=$(basename "$src" .c)
		case $name in
		args | create) continue ;;
		pause)
			check_cmd_file "$src" "$MAN_DIR/husk-pause.8"
			check_cmd_file "$src" "$MAN_DIR/husk-resume.8"
			;;
		*) check_cmd_file "$src" "$MAN_DIR/husk-$name.8" ;;
		esac
	done
}

@test "man: the check catches a flag missing from a page" {
	local page=$BATS_TEST_TMPDIR/husk-kill.8
	sed 's/\\-\\-all//g' "$MAN_DIR/husk-kill.8" >"$page"
	run -1 check_cmd_file "$SRC_DIR/src/cmd/kill.c" "$page"
	assert_output --partial "does not document --all"
}

@test "man: every page renders without warnings" {
	local page out
	for page in "$MAN_DIR"/*.8; do
		# no control character (a "\f" that became a form feed); the C locale, where troff
		# warns of them (C.UTF-8 passes them silently)
		! grep -nP '[\x00-\x08\x0b-\x1f]' "$page" || fail "$(basename "$page"): control character"
		out=$(LC_ALL=C MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[[ -z $out ]] || fail "$(basename "$page"): $out"
		[[ -n $(MANWIDTH=80 man -l "$page" 2>/dev/null) ]] || fail "$(basename "$page") is empty"
	done
}

@test "man: the pages and the completion are installed by make install" {
	local page
	for page in "$MAN_DIR"/*.8; do
		grep -q "man/$(basename "$page")" "$SRC_DIR/Makefile.am" ||
			fail "Makefile.am does not install man/$(basename "$page")"
	done
	grep -q 'contrib/completions/bash/husk' "$SRC_DIR/Makefile.am"
	bash -n "$COMPLETION"
}

@test "completion: commands, then the flags of the command" {
	source "$COMPLETION"
	COMP_WORDS=(husk --root /tmp ex)
	COMP_CWORD=3
	_husk
	[[ ${COMPREPLY[*]} == exec ]] || fail "got: ${COMPREPLY[*]}"
	COMP_WORDS=(husk run --no-)
	COMP_CWORD=2
	_husk
	[[ " ${COMPREPLY[*]} " == *" --no-new-keyring "* ]] || fail "got: ${COMPREPLY[*]}"
	COMP_WORDS=(husk list --format "")
	COMP_CWORD=3
	_husk
	[[ ${COMPREPLY[*]} == "table json" ]] || fail "got: ${COMPREPLY[*]}"
}
