"""The aiobotocore side of the async benchmark (:mod:`bench.aio`), run in its own venv.

``python aiobotocore_side.py URL CALLS ROUNDS IN_FLIGHT`` makes the same calls as
the other sides against the canned server at URL and prints one JSON line:
``{"version": ..., "create_case": {"sequential_us": ..., "throughput": ...},
"describe_cases": {...}}``. It imports nothing from this project (that venv has
aiobotocore's own botocore), so the parameters are repeated here in boto3's spelling.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from typing import Any

CREATE_CASE = {
    "subject": "EC2 instance will not boot",
    "communicationBody": "i-0123456789abcdef0 fails its status checks since 14:02 UTC.",
    "serviceCode": "amazon-elastic-compute-cloud-linux",
    "categoryCode": "instance-issue",
    "severityCode": "low",
    "ccEmailAddresses": ["oncall@example.com", "lead@example.com"],
    "language": "en",
    "issueType": "technical",
}
DESCRIBE_CASES = {
    "caseIdList": ["case-123456789012-muen-2026-4b1f0e2a5a6c8d11"],
    "includeCommunications": True,
}


async def main(url: str, calls: int, rounds: int, width: int) -> dict[str, Any]:
    import aiobotocore
    from aiobotocore.config import AioConfig
    from aiobotocore.session import get_session

    session = get_session()
    config = AioConfig(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=width)
    out: dict[str, Any] = {"version": aiobotocore.__version__}
    async with session.create_client(
        "support",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKIDBENCHMARK0000000",
        aws_secret_access_key="bench/secret/key/not/a/real/one/00000000",
        config=config,
    ) as client:
        for name, params in (("create_case", CREATE_CASE), ("describe_cases", DESCRIBE_CASES)):
            method = getattr(client, name)
            reply = await method(**params)
            assert reply.get("caseId") or len(reply["cases"]) == 20
            for _ in range(50):
                await method(**params)
            seq: list[float] = []
            tput: list[float] = []
            for _ in range(rounds):
                times = []
                for _ in range(calls):
                    started = time.perf_counter()
                    await method(**params)
                    times.append(time.perf_counter() - started)
                seq.append(statistics.median(times) * 1e6)
                per_task = max(1, calls * 2 // width)

                async def worker(method: Any = method, params: Any = params, n: int = per_task) -> None:
                    for _ in range(n):
                        await method(**params)

                started = time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(width)))
                tput.append(per_task * width / (time.perf_counter() - started))
            out[name] = {"sequential_us": statistics.median(seq), "throughput": max(tput)}
    return out


if __name__ == "__main__":
    url, calls, rounds, width = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(asyncio.run(main(url, calls, rounds, width))))
