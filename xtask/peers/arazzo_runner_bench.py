"""One side of `cargo xtask bench-peers`: the Python `arazzo-runner` executing the seed workflow
in-process, RUNS times one after another.

usage: arazzo_runner_bench.py ARAZZO_FILE RUNS

The document's source description must already point at the stand-in server (the xtask writes
such a copy). Prints `startup_us=…` (importing the runner and loading the document, the
interpreter's own start not included) and `median_us=… mean_us=…` per workflow. Logging is
turned off: the runner logs every step at INFO by default, which a service would not keep.
"""

import sys
import time

started = time.perf_counter()

import logging  # noqa: E402
import os  # noqa: E402

logging.disable(logging.CRITICAL)
os.environ["TWILIO_ACCOUNTSID_AUTHTOKEN_USERNAME"] = "ACtest"
os.environ["TWILIO_ACCOUNTSID_AUTHTOKEN_PASSWORD"] = "secret"

from arazzo_runner import ArazzoRunner  # noqa: E402

WARM_UP = 20
INPUTS = {
    "friendlyName": "Support",
    "target": "webhook",
    "configurationUrl": "https://hooks.example.test/events",
    "configurationMethod": "post",
}


def main() -> int:
    path, runs = sys.argv[1], int(sys.argv[2])
    runner = ArazzoRunner.from_arazzo_path(path)
    startup = time.perf_counter() - started
    times = []
    for i in range(WARM_UP + runs):
        start = time.perf_counter()
        result = runner.execute_workflow("create-conversation-with-webhook", INPUTS)
        elapsed = time.perf_counter() - start
        outputs = getattr(result, "outputs", None) or {}
        if not outputs.get("webhookSid"):
            print(f"arazzo-runner: the workflow did not finish: {result}", file=sys.stderr)
            return 1
        if i >= WARM_UP:
            times.append(elapsed * 1e6)
    times.sort()
    median = times[len(times) // 2]
    mean = sum(times) / len(times)
    print(f"startup_us={startup * 1e6:.1f}")
    print(f"median_us={median:.1f} mean_us={mean:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
