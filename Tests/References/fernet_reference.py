#!/usr/bin/env python3
"""Reference timings for `hearth bench fernet`: Python's cryptography Fernet.

hearth runs this script as a subprocess in the same invocation as its own
measurement, so both numbers come from the same machine under the same load.

Input (JSON on stdin, so the throw-away benchmark key never shows in `ps`):
  key          the Fernet key hearth generated for this run (base64url)
  payload      the reading both sides encrypt (base64url)
  token        a token hearth made of `payload` with `key`
  iterations   operations per timed loop
  rounds       timed loops per operation

Output (one JSON object on stdout):
  python, cryptography   versions
  encrypt_ns, decrypt_ns, round_trip_ns
                         nanoseconds per operation, {"best": .., "median": ..}
                         over the rounds; round_trip_ns times encrypt followed
                         by decrypt of the fresh token
  hearth_token_ok        whether hearth's token decrypted to the payload here
  token                  a token made here of `payload`, for hearth to decrypt

Run by hand:  python3 Tests/References/fernet_reference.py < input.json
"""

import base64
import json
import platform
import statistics
import sys
import time

import cryptography
from cryptography.fernet import Fernet, InvalidToken


def per_op_ns(operation, iterations, rounds):
    """Best and median over `rounds` timed loops of nanoseconds per call of `operation`."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            operation()
        samples.append((time.perf_counter_ns() - start) / iterations)
    return {"best": min(samples), "median": statistics.median(samples)}


def main():
    request = json.load(sys.stdin)
    fernet = Fernet(request["key"].encode("ascii"))
    payload = base64.urlsafe_b64decode(request["payload"])
    iterations = int(request["iterations"])
    rounds = int(request["rounds"])

    try:
        hearth_token_ok = fernet.decrypt(request["token"].encode("ascii")) == payload
    except InvalidToken:
        hearth_token_ok = False

    token = fernet.encrypt(payload)
    per_op_ns(lambda: fernet.decrypt(fernet.encrypt(payload)), max(1, iterations // 10), 1)  # warm-up
    result = {
        "python": platform.python_version(),
        "cryptography": cryptography.__version__,
        "encrypt_ns": per_op_ns(lambda: fernet.encrypt(payload), iterations, rounds),
        "decrypt_ns": per_op_ns(lambda: fernet.decrypt(token), iterations, rounds),
        "round_trip_ns": per_op_ns(lambda: fernet.decrypt(fernet.encrypt(payload)), iterations, rounds),
        "hearth_token_ok": hearth_token_ok,
        "token": token.decode("ascii"),
    }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
