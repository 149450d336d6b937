#!/usr/bin/env bash
# Formatting as .clang-format says, for every C file of lib/, app/ and test/ (generated test
# vectors excepted by test/data/.clang-format). Prints the files that differ; exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files 'lib/*.[ch]' 'app/*.[ch]' 'test/*.[ch]' 2>/dev/null ||
	find lib app test -name '*.[ch]')
if clang-format --dry-run -Werror "${files[@]}" 2>/tmp/twq-style.$$; then
	echo "style: PASS clang-format over ${#files[@]} C files"
	rm -f /tmp/twq-style.$$
	exit 0
fi
grep -oE '^[^:]+\.[ch]' /tmp/twq-style.$$ | sort | uniq -c | sed 's/^/style: FAIL /'
echo "style: fix with: clang-format -i FILE (settings in .clang-format)"
rm -f /tmp/twq-style.$$
exit 1
