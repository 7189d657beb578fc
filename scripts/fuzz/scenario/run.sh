#!/usr/bin/env bash
# Coverage-guided fuzzing of the scenario loader and validator with libFuzzer.
#
#   scripts/fuzz/scenario/run.sh [SECONDS] [JOBS]
#
# Builds Yams (its C part, CYaml, included), SensorKit's SensorKind and the
# Scenario module with -sanitize=fuzzer,address into one binary, seeds the
# corpus with Scenarios/*.yaml and the inputs kept in corpus/, and runs for
# SECONDS (default 300). New interesting inputs land in the build folder's
# working corpus; crashes are written to the build folder and the script
# exits non-zero. Copy a crash into corpus/ once fixed: the test suite
# replays that folder on every run. corpus/ also holds a sample of a
# minimized corpus (every tenth file by size after `-merge=1`), so replays
# cover the parser's odd corners without committing megabytes.
set -euo pipefail

seconds=${1:-300}
jobs=${2:-1}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build="$root/.build-fuzz-scenario"
mkdir -p "$build/obj" "$build/work-corpus" "$build/artifacts"

swift package --package-path "$root" --scratch-path "$build/spm" resolve >/dev/null
yams="$build/spm/checkouts/Yams/Sources"
cyaml_include="$yams/CYaml/include"
sanitize="-sanitize=fuzzer,address"

echo "building CYaml"
for source in "$yams"/CYaml/src/*.c; do
    clang -c -O1 -g -fsanitize=fuzzer-no-link,address -DYAML_DECLARE_STATIC -I "$cyaml_include" \
        "$source" -o "$build/obj/$(basename "$source" .c).o"
done

swift_module() { # name, language version, sources...
    local name=$1 version=$2
    shift 2
    echo "building $name"
    swiftc -parse-as-library -O -g $sanitize -swift-version "$version" \
        -module-name "$name" -emit-module -emit-module-path "$build/obj/$name.swiftmodule" \
        -emit-library -static -o "$build/obj/lib$name.a" \
        -I "$build/obj" -I "$cyaml_include" -Xcc -DYAML_DECLARE_STATIC -D SWIFT_PACKAGE \
        "$@"
}

# Build from a snapshot, so that editing the sources during the build
# does not break it.
rm -rf "$build/src" && mkdir -p "$build/src"
cp -R "$root/Sources/Scenario" "$build/src/Scenario"
cp "$root/Sources/SensorKit/SensorKind.swift" "$build/src/"

swift_module Yams 5 "$yams"/Yams/*.swift
swift_module SensorKit 6 "$build/src/SensorKind.swift"
swift_module Scenario 6 $(find "$build/src/Scenario" -name '*.swift' | sort)

echo "linking the fuzzer"
# gold warns once per ASan helper symbol; those lines say nothing useful.
swiftc -parse-as-library -O -g $sanitize -swift-version 6 -I "$build/obj" -I "$cyaml_include" \
    "$here/FuzzScenario.swift" "$build/obj/libScenario.a" "$build/obj/libSensorKit.a" "$build/obj/libYams.a" \
    "$build"/obj/*.o -o "$build/scenario-fuzzer" 2>&1 | { grep -v "Cannot export local symbol" || true; }

cp "$root"/Scenarios/*.yaml "$build/work-corpus/"
if compgen -G "$here/corpus/*" >/dev/null; then cp "$here"/corpus/* "$build/work-corpus/"; fi

echo "fuzzing for ${seconds}s with $jobs job(s)"
cd "$build/artifacts"
parallel=()
if [ "$jobs" -gt 1 ]; then parallel=(-jobs="$jobs" -workers="$jobs"); fi
"$build/scenario-fuzzer" "$build/work-corpus" "${parallel[@]}" \
    -dict="$here/scenario.dict" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$build/artifacts/" \
    >"$build/fuzz.log" 2>&1 || true
grep -E "INITED|^Done|stat::|ERROR|SUMMARY|Test unit written" "$build"/fuzz*.log "$build"/artifacts/fuzz-*.log 2>/dev/null || true
echo "log: $build/fuzz.log"
if compgen -G "$build/artifacts/crash-*" >/dev/null || compgen -G "$build/artifacts/timeout-*" >/dev/null \
    || compgen -G "$build/artifacts/oom-*" >/dev/null || compgen -G "$build/artifacts/slow-unit-*" >/dev/null; then
    echo "findings in $build/artifacts:" && ls "$build/artifacts"
    exit 1
fi
