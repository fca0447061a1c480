# SPDX-License-Identifier: MIT
#
# test-lib.sh - a small git-style test library for the CLI tests.
#
# A test script sources this file, then calls
#
#	test_expect_success 'title' 'commands chained with &&'
#	test_expect_failure 'title' '...'     (a known breakage)
#	test_done
#
# Helpers: test_must_fail [code=N] CMD (a controlled non-zero exit, not a
# crash: signals and 127 fail the test), test_expect_code N CMD,
# test_cmp EXPECT ACTUAL (diff -u), test_grep PATTERN FILE,
# test_have_prereq NAME, test_set_prereq NAME.
#
# Each script runs in its own scratch directory trash.<script>/ under
# $BF_TEST_TMP (removed on success, kept on failure).  Options: -v shows
# the commands' output, -i stops at the first failure.  Output is TAP,
# ending with a line "N passed, N failed".
#
# BF_BUILD (set by make) is the build directory; its bin/ comes first in
# PATH, and scripts/ after it.

set -u
LC_ALL=C
export LC_ALL
TZ=UTC
export TZ
unset BF_CONFIG BF_API_KEY BF_API_SECRET BF_BASE_URL

TEST_NAME=$(basename "$0" .sh)
TEST_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(cd "$TEST_DIR/../.." && pwd)
DATA="$TEST_DIR/data"
# ../shared/data beside the checkout (or beside a worktree's parent).
if [ -z "${SHARED_DATA:-}" ]; then
	SHARED_DATA="$SRC_DIR/../shared/data"
	[ -d "$SHARED_DATA" ] || SHARED_DATA="$SRC_DIR/../../shared/data"
fi
: "${BF_BUILD:=$SRC_DIR/build}"
PATH="$BF_BUILD/bin:$SRC_DIR/scripts:$PATH"
export PATH BF_BUILD SRC_DIR

verbose=
immediate=
for arg in "$@"; do
	case "$arg" in
	-v|--verbose) verbose=t ;;
	-i|--immediate) immediate=t ;;
	esac
done

: "${BF_TEST_TMP:=$SRC_DIR/build/tests}"
TRASH="$BF_TEST_TMP/trash.$TEST_NAME"
rm -rf "$TRASH"
mkdir -p "$TRASH" || exit 1
cd "$TRASH" || exit 1
HOME="$TRASH"
export HOME

test_count=0
test_fail=0
test_pass=0
test_skip=0
prereqs=" "

say() {
	printf '%s\n' "$*"
}

test_set_prereq() {
	prereqs="$prereqs$1 "
}

test_have_prereq() {
	case "$prereqs" in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

if [ -d "$SHARED_DATA" ]; then
	test_set_prereq SHARED_DATA
fi

# Run the test body in a subshell-free eval so helpers see variables.
run_body() {
	if [ -n "$verbose" ]; then
		eval "$1"
	else
		eval "$1" >"$TRASH/.out" 2>&1
	fi
}

test_expect_success() {
	prereq=
	if [ $# -eq 3 ]; then
		prereq=$1
		shift
	fi
	test_count=$((test_count + 1))
	if [ -n "$prereq" ] && ! test_have_prereq "$prereq"; then
		test_skip=$((test_skip + 1))
		say "ok $test_count # skip $1 (missing $prereq)"
		return 0
	fi
	if (run_body "$2"); then
		test_pass=$((test_pass + 1))
		say "ok $test_count - $1"
	else
		test_fail=$((test_fail + 1))
		say "not ok $test_count - $1"
		if [ -z "$verbose" ]; then
			sed 's/^/#	/' "$TRASH/.out" | tail -n 30
		fi
		printf '%s\n' "$2" | sed 's/^/#	/'
		if [ -n "$immediate" ]; then
			test_done
		fi
	fi
}

test_expect_failure() {
	test_count=$((test_count + 1))
	if (run_body "$2"); then
		test_fail=$((test_fail + 1))
		say "not ok $test_count - $1 # TODO known breakage vanished"
	else
		test_pass=$((test_pass + 1))
		say "ok $test_count - $1 # TODO known breakage"
	fi
}

# test_must_fail [code=N] CMD...: CMD must exit non-zero (N if given),
# and must not die of a signal or be missing.
test_must_fail() {
	want=
	case "$1" in
	code=*) want=${1#code=}; shift ;;
	esac
	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "test_must_fail: command succeeded: $*" >&2
		return 1
	elif [ $rc -gt 128 ] && [ $rc -le 192 ]; then
		echo "test_must_fail: died of signal $((rc - 128)): $*" >&2
		return 1
	elif [ $rc -eq 127 ]; then
		echo "test_must_fail: command not found: $1" >&2
		return 1
	elif [ -n "$want" ] && [ $rc -ne "$want" ]; then
		echo "test_must_fail: exit $rc, wanted $want: $*" >&2
		return 1
	fi
	return 0
}

test_expect_code() {
	want=$1
	shift
	"$@"
	rc=$?
	if [ $rc -ne "$want" ]; then
		echo "test_expect_code: exit $rc, wanted $want: $*" >&2
		return 1
	fi
	return 0
}

test_cmp() {
	diff -u "$1" "$2"
}

test_grep() {
	if ! grep -q -e "$1" "$2"; then
		echo "test_grep: no '$1' in $2:" >&2
		head -n 20 "$2" >&2
		return 1
	fi
}

# Numeric closeness of two numbers: test_approx A B [REL]
test_approx() {
	awk -v a="$1" -v b="$2" -v r="${3:-1e-9}" 'BEGIN {
		d = a - b; if (d < 0) d = -d;
		m = (a < 0 ? -a : a); if ((b < 0 ? -b : b) > m) m = (b < 0 ? -b : b);
		if (d <= r * (m > 1 ? m : 1)) exit 0;
		printf "test_approx: %s != %s\n", a, b > "/dev/stderr"; exit 1 }'
}

test_done() {
	echo "1..$test_count"
	if [ $test_skip -gt 0 ]; then
		say "# $TEST_NAME: $test_pass passed, $test_fail failed, $test_skip skipped"
	else
		say "# $TEST_NAME: $test_pass passed, $test_fail failed"
	fi
	cd "$SRC_DIR" || exit 1
	if [ $test_fail -eq 0 ]; then
		rm -rf "$TRASH"
		exit 0
	fi
	exit 1
}
