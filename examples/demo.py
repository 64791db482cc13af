"""`make demo`: drive the generated Support client against a local moto server.

Starts moto's server in this process on 127.0.0.1 (a free port), then creates a
case, lists it, resolves it and reads Trusted Advisor data, printing each step.
Nothing leaves the machine.
"""

from __future__ import annotations

import logging

from moto.server import ThreadedMotoServer

from aws_support import SupportClient, errors


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    print(f"moto server listening on {endpoint}")
    try:
        with SupportClient(
            region_name="us-east-1",
            endpoint_url=endpoint,
            aws_access_key_id="AKIDDEMO",
            aws_secret_access_key="demo-secret",
        ) as client:
            created = client.create_case(
                subject="Demo: instance will not boot ✓",
                communication_body="i-0123456789abcdef0 fails its status checks.",
                service_code="amazon-elastic-compute-cloud-linux",
                category_code="instance-issue",
                severity_code="low",
            )
            print(f"create_case -> case_id={created.case_id}")

            listed = client.describe_cases(case_id_list=[created.case_id or ""], include_resolved_cases=True)
            for case in listed.cases or []:
                print(f"describe_cases -> {case.case_id} status={case.status} subject={case.subject!r}")

            resolved = client.resolve_case(case_id=created.case_id)
            print(
                f"resolve_case -> {resolved.initial_case_status} -> {resolved.final_case_status}"
            )

            checks = client.describe_trusted_advisor_checks(language="en").checks or []
            print(f"describe_trusted_advisor_checks -> {len(checks)} checks, first: {checks[0].name}")
            status = client.refresh_trusted_advisor_check(check_id=checks[0].id or "").status
            print(f"refresh_trusted_advisor_check -> {status.status if status else None}")

            try:
                client.create_case(subject="", communication_body="")
            except errors.ParamValidationError as exc:
                print(f"validation before any request -> {exc}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
