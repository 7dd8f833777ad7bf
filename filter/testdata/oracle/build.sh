#!/bin/sh
# Builds the libsinsp filter parser oracle used by TestOracle:
#
#   filter/testdata/oracle/build.sh LIBS_GIT_DIR OUT
#   FILTER_ORACLE=OUT go test -run TestOracle ./filter
#
# LIBS_GIT_DIR is a clone (or bare mirror) of falcosecurity/libs. The
# parser, its AST and its escaping are taken from tag 0.25.4; the one
# change is the depth guard named as in libs#3033, so that it counts. It
# needs g++ (C++17) and RE2 (libre2-dev; libs 0.25.4 pins RE2 2022-06-01).
set -eu
libs=$1
out=$(realpath -m "$2")
tag=${LIBS_TAG:-0.25.4}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/libsinsp/filter"
for f in parser.h ast.h ast.cpp escaping.h escaping.cpp; do
	git --git-dir="$libs" show "$tag:userspace/libsinsp/filter/$f" >"$work/libsinsp/filter/$f" 2>/dev/null ||
		git -C "$libs" show "$tag:userspace/libsinsp/filter/$f" >"$work/libsinsp/filter/$f"
done
git --git-dir="$libs" show "$tag:userspace/libsinsp/filter/parser.cpp" 2>/dev/null >"$work/parser.cpp" ||
	git -C "$libs" show "$tag:userspace/libsinsp/filter/parser.cpp" >"$work/parser.cpp"
sed 's/depth_guard(m_max_depth, m_depth);/depth_guard dg(m_max_depth, m_depth);/' "$work/parser.cpp" >"$work/libsinsp/filter/parser.cpp"

# Stand-ins for the few libsinsp headers the parser includes.
printf '#pragma once\n#define SINSP_PUBLIC\n' >"$work/libsinsp/sinsp_public.h"
cat >"$work/libsinsp/sinsp_exception.h" <<'H'
#pragma once
#include <stdexcept>
#include <string>
struct sinsp_exception : std::runtime_error {
	sinsp_exception(const std::string& s): std::runtime_error(s) {}
	sinsp_exception(const char* s): std::runtime_error(s) {}
};
H
cat >"$work/libsinsp/utils.h" <<'H'
#pragma once
#include <algorithm>
#include <cctype>
#include <string>
#define ASSERT(x)
inline std::string& trim(std::string& s) {
	auto sp = [](int c) { return !std::isspace(c); };
	s.erase(std::find_if(s.rbegin(), s.rend(), sp).base(), s.end());
	s.erase(s.begin(), std::find_if(s.begin(), s.end(), sp));
	return s;
}
H
g++ -std=c++17 -O2 -I"$work" -o "$out" "$here/driver.cpp" "$work/libsinsp/filter/parser.cpp" \
	"$work/libsinsp/filter/ast.cpp" "$work/libsinsp/filter/escaping.cpp" -lre2
echo "built $out"
