"""The data path of issue 12: parse only, a generated DynamoDB client, peak RSS of a 1 MB reply.

* Parse only, in this process, on the same reply bytes: ``json.loads`` alone;
  this client (one msgspec pass from the bytes into the models); this client's
  parse before msgspec (``json.loads`` + generated Python building frozen
  dataclasses, kept in :mod:`bench.baseline_parse`); botocore's JSON parser
  (``botocore.parsers.create_parser("json")`` with the operation's output shape).
  Each figure is the time per parse over ``loops`` parses, repeated; the
  median, min and max over the repeats are reported.
* DynamoDB: ``python -m generator --service dynamodb`` generates the client
  into ``.cache/bench/gen`` (as the 154-service sweep does); Query returning
  1,000 items of 10 attributes (S, N, BOOL, nested M and L, about 1 MB) and
  PutItem, per call against the canned server, this client vs boto3 vs the
  floor (an unsigned urllib3 POST + ``json.loads``), sides alternating.
* Peak RSS of a fresh process importing a client and making one 1 MB Query
  (``ru_maxrss`` from ``wait4``), this client vs boto3.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .calls import ACCESS_KEY, REGION, SECRET_KEY, Spread, run_alternating
from .util import median

__all__ = ["GEN_DIR", "ParseResult", "dynamodb_calls", "generate_dynamodb", "parse_only", "query_rss"]

ROOT = Path(__file__).resolve().parent.parent
GEN_DIR = ROOT / ".cache" / "bench" / "gen"

PUT_ITEM = {
    "TableName": "orders",
    "Item": {
        "pk": {"S": "customer#000042"},
        "sk": {"S": "order#2026-03-14T15:09:26Z#00000042"},
        "amount": {"N": "19.99"},
        "gift": {"BOOL": False},
        "tags": {"L": [{"S": "priority"}, {"N": "3"}]},
        "address": {"M": {"city": {"S": "Wellington"}, "postcode": {"S": "6011"}}},
    },
}
QUERY = {
    "TableName": "orders",
    "KeyConditionExpression": "pk = :pk",
    "ExpressionAttributeValues": {":pk": {"S": "customer#000001"}},
}


@dataclass(frozen=True)
class ParseResult:
    """Seconds per parse of one reply by each side: median, min and max over the repeats."""

    reply: str
    size: int
    sides: dict[str, Spread]


def _repeat(func: Callable[[], Any], loops: int, repeats: int) -> Spread:
    clock = time.perf_counter
    per: list[float] = []
    for _ in range(repeats):
        started = clock()
        for _ in range(loops):
            func()
        per.append((clock() - started) / loops)
    return Spread(median(per), min(per), max(per))


def _botocore_parser(service: str, operation: str) -> Callable[[bytes], Any]:
    import botocore.session
    from botocore.parsers import create_parser

    shape = botocore.session.get_session().get_service_model(service).operation_model(operation).output_shape
    parser = create_parser("json")
    return lambda body: parser.parse({"body": body, "headers": {}, "status_code": 200}, shape)


def generate_dynamodb() -> None:
    """Generate the DynamoDB client into :data:`GEN_DIR` (a no-change rerun is quick)."""
    GEN_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "generator", "--service", "dynamodb", "--out", str(GEN_DIR)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    if str(GEN_DIR) not in sys.path:
        sys.path.insert(0, str(GEN_DIR))


def parse_only(loops: int, repeats: int, *, dynamodb: bool) -> list[ParseResult]:
    """Parse-only figures for DescribeCases (20 cases × 5 communications) and, with
    ``dynamodb``, the 1 MB Query reply."""
    from aws_support import _serde

    from . import baseline_parse
    from .server import describe_cases_reply, query_reply

    body = json.dumps(describe_cases_reply(20)).encode()
    ours = _serde.parse_describe_cases_response
    assert ours(body) is not None and len(baseline_parse.parse(body).cases or []) == 20
    boto = _botocore_parser("support", "DescribeCases")
    sides = {
        "json.loads": lambda: json.loads(body),
        "ours": lambda: ours(body),
        "before": lambda: baseline_parse.parse(body),
        "botocore": lambda: boto(body),
    }
    results = [
        ParseResult("DescribeCases, 20 cases × 5 communications", len(body), _interleave(sides, loops, repeats))
    ]
    if dynamodb:
        from aws_dynamodb import _serde as dd_serde

        qbody = json.dumps(query_reply()).encode()
        parse = dd_serde.parse_query_output
        assert len(parse(qbody).items) == 1000
        qboto = _botocore_parser("dynamodb", "Query")
        qsides = {
            "json.loads": lambda: json.loads(qbody),
            "ours": lambda: parse(qbody),
            "botocore": lambda: qboto(qbody),
        }
        results.append(
            ParseResult(
                "DynamoDB Query, 1,000 items",
                len(qbody),
                _interleave(qsides, max(1, loops // 200), repeats),
            )
        )
    return results


def _interleave(sides: dict[str, Callable[[], Any]], loops: int, repeats: int) -> dict[str, Spread]:
    """Repeat each side ``repeats`` times, taking turns, one repeat each per turn."""
    for func in sides.values():
        func()
    per: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(repeats):
        for name, func in sides.items():
            per[name].append(_repeat(func, loops, 1).median)
    return {name: Spread(median(v), min(v), max(v)) for name, v in per.items()}


def dynamodb_calls(url: str, calls: int, batch: int, warmup: int) -> dict[str, dict[str, Spread]]:
    """Per-call figures for DynamoDB Query (1,000 items) and PutItem: this client (generated),
    boto3 and the floor (unsigned urllib3 POST + ``json.loads``)."""
    import boto3
    import botocore.config
    import urllib3
    from aws_dynamodb import DynamoDBClient

    from aws_runtime.config import Config

    ours = DynamoDBClient(
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(max_attempts=1),
    )
    b3 = boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    parsed = urllib3.util.parse_url(url)
    pool = urllib3.HTTPConnectionPool(parsed.host, parsed.port, maxsize=1, retries=False)
    out: dict[str, dict[str, Spread]] = {}
    try:
        from aws_dynamodb import models as dm

        def av(value: dict[str, Any]) -> Any:
            (tag, inner), = value.items()
            if tag == "M":
                return dm.AttributeValue(m={k: av(v) for k, v in inner.items()})
            if tag == "L":
                return dm.AttributeValue(l=[av(v) for v in inner])
            return dm.AttributeValue(**{{"BOOL": "bool_"}.get(tag, tag.lower()): inner})

        put_kwargs = {"table_name": "orders", "item": {k: av(v) for k, v in PUT_ITEM["Item"].items()}}
        query_kwargs = {
            "table_name": "orders",
            "key_condition_expression": "pk = :pk",
            "expression_attribute_values": {":pk": dm.AttributeValue(s="customer#000001")},
        }
        for operation, snake, kwargs, params in (
            ("Query", "query", query_kwargs, QUERY),
            ("PutItem", "put_item", put_kwargs, PUT_ITEM),
        ):
            body = json.dumps(params).encode()
            headers = {
                "X-Amz-Target": "DynamoDB_20120810." + operation,
                "Content-Type": "application/x-amz-json-1.0",
            }
            method = getattr(ours, snake)
            bmethod = getattr(b3, snake)

            def floor(body: bytes = body, headers: dict[str, str] = headers) -> Any:
                reply = pool.urlopen("POST", "/", body=body, headers=headers, retries=False)
                return json.loads(reply.data)

            funcs = {
                "ours": lambda method=method, kwargs=kwargs: method(**kwargs),
                "boto3": lambda bmethod=bmethod, params=params: bmethod(**params),
                "floor": floor,
            }
            if operation == "Query":
                assert len(funcs["ours"]().items) == 1000
                assert len(funcs["boto3"]()["Items"]) == 1000
                assert len(floor()["Items"]) == 1000
            n = max(1, calls // 40) if operation == "Query" else calls
            b = max(1, batch // 10) if operation == "Query" else batch
            out[operation] = run_alternating(funcs, max(1, n // b), b, max(1, warmup // 10))[1]
    finally:
        ours.close()
        b3.close()
        pool.close()
    return out


QUERY_PROGRAMS = {
    "ours": (
        "import sys; sys.path.insert(0, {gen!r}); from aws_dynamodb import DynamoDBClient, models; "
        "c = DynamoDBClient(region_name='us-east-1', endpoint_url={url!r}, "
        "aws_access_key_id='AKIDBENCH', aws_secret_access_key='secret'); "
        "r = c.query(table_name='orders', key_condition_expression='pk = :pk', "
        "expression_attribute_values={{':pk': models.AttributeValue(s='x')}}); "
        "assert len(r.items) == 1000"
    ),
    "boto3": (
        "import boto3; c = boto3.client('dynamodb', region_name='us-east-1', endpoint_url={url!r}, "
        "aws_access_key_id='AKIDBENCH', aws_secret_access_key='secret'); "
        "r = c.query(TableName='orders', KeyConditionExpression='pk = :pk', "
        "ExpressionAttributeValues={{':pk': {{'S': 'x'}}}}); assert len(r['Items']) == 1000"
    ),
}


def query_rss(url: str, runs: int) -> dict[str, Spread]:
    """Peak RSS (MiB) of a fresh process making one 1 MB DynamoDB Query: median, min, max."""
    import os
    import tempfile

    from .coldstart import plain_venv
    from .util import bench_env, run_child

    rss: dict[str, list[float]] = {side: [] for side in QUERY_PROGRAMS}
    with tempfile.TemporaryDirectory(prefix="bench-rss-") as tmp:
        home = os.path.join(tmp, "home")
        os.mkdir(home)
        python = plain_venv(os.path.join(tmp, "venv"))
        for _ in range(runs):
            for side, program in QUERY_PROGRAMS.items():
                child = run_child(
                    [python, "-c", program.format(gen=str(GEN_DIR), url=url)], env=bench_env(home)
                )
                if child.returncode != 0:
                    raise RuntimeError(f"query RSS {side} failed:\n{child.stderr}")
                rss[side].append(child.peak_rss_mib)
    return {side: Spread(median(v), min(v), max(v)) for side, v in rss.items()}
