#!/usr/bin/env bash
# Fuzzes the Fernet decoder with libFuzzer (bundled with the Swift toolchain).
#
#   scripts/fuzz/fernet/run.sh [seconds] [extra libFuzzer flags...]
#
# Builds Sources/Fernet plus FernetFuzzTarget.swift with
# -sanitize=fuzzer,address into .build-fuzz-fernet/ (git-ignored), seeds the corpus
# with the spec's test vectors and a few tokens made by Python's
# cryptography (if installed), then runs for the given time (default 300 s).
# The corpus grows in .build-fuzz-fernet/fernet-corpus and is reused next time;
# crashes land in .build-fuzz-fernet/fernet-artifacts/. Exit status is libFuzzer's:
# non-zero means it found a crash, a leak or a broken invariant.
set -euo pipefail

root="$(cd "$(dirname "$0")/../../.." && pwd)"
seconds="${1:-300}"
shift || true
out="$root/.build-fuzz-fernet"
shared="${HEARTH_SHARED_DIR:-$root/../shared}"
mkdir -p "$out/fernet-corpus" "$out/fernet-artifacts"

swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name FernetFuzz \
    -I "$root/Sources/COpenSSL" -lcrypto \
    "$root"/Sources/Fernet/*.swift "$root/scripts/fuzz/fernet/FernetFuzzTarget.swift" \
    -o "$out/fernet-fuzz"

# Seeds: the first byte picks the harness mode (0 arbitrary token,
# 1 authentic fields, 2 key text, 3 base64/round trip).
python3 - "$shared/vectors/fernet" "$out/fernet-corpus" <<'PY'
import base64, glob, json, os, sys
vectors, corpus = sys.argv[1], sys.argv[2]
seeds = []
for path in glob.glob(os.path.join(vectors, "*.json")):
    for vector in json.load(open(path)):
        token = vector["token"].encode()
        seeds += [b"\x00" + token, b"\x80" + token, b"\x02" + vector["secret"].encode(), b"\x03" + token]
        try:
            seeds.append(b"\x01" + base64.urlsafe_b64decode(token)[:-32])
        except Exception:
            pass
try:
    from cryptography.fernet import Fernet
    key = Fernet.generate_key()
    for size in (0, 15, 16, 200):
        token = Fernet(key).encrypt(b"r" * size)
        seeds += [b"\x00" + token, b"\x01" + base64.urlsafe_b64decode(token)[:-32]]
    seeds.append(b"\x02" + key + b"\n" + Fernet.generate_key() + b"\n")
except ImportError:
    pass
for index, seed in enumerate(seeds):
    with open(os.path.join(corpus, f"seed-{index:03}"), "wb") as handle:
        handle.write(seed)
PY

cd "$out"
exec ./fernet-fuzz fernet-corpus \
    -artifact_prefix=fernet-artifacts/ \
    -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$@"
