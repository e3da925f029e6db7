#!/usr/bin/env python3
"""Run scim2-tester (through `scim test` of scim2-cli) against the SCIM target simulator.

For each dialect this starts `sim-target` on loopback with a fresh random token, runs the
tester, and sorts its findings:

* the generic dialect must have no ERROR or CRITICAL finding at all;
* the AWS and StrongDM dialects may only have findings that ALLOWED lists, each a documented
  vendor limit (docs/conformance.md has the table and the sources), and no more of each than
  listed. Any other finding fails the run.

Usage: python3 scripts/conformance.py [--bin PATH] [--dialect NAME ...] [--show]
Exit status 0 when every dialect is within its allow-list, 1 otherwise, 2 on a set-up error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass

# Statuses scim2-tester reports (scim2_tester.Status); these two mean "violates a MUST".
FAILING = {"ERROR", "CRITICAL"}
STATUS_LINE = re.compile(
    r"^(SUCCESS|COMPLIANT|ACCEPTABLE|DEVIATION|ERROR|CRITICAL|SKIPPED) (\S+)\s*$"
)


@dataclass(frozen=True)
class Allowed:
    """Tester findings that reflect one documented vendor limit.

    `check` is the tester's check name, `reason` a regular expression its reason line must
    match, `most` how many such findings one run may produce (the tester fills some values at
    random, e.g. `primary`, so a run may show fewer), `why` the limit and `source` where it is
    documented.
    """

    check: str
    reason: str
    most: int
    why: str
    source: str


# AWS answers errors with `schema`, `exceptionRequestId` and `timeStamp` beside the RFC
# members; scim2-tester's Error model forbids extra members, so every check that reads an
# error body reports a "payload validation error" whatever the status was.
AWS_BODY = "Server response payload validation error"
T1 = "TARGETS.md §1"
T3 = "TARGETS.md §3"

# Keep in step with the tables in docs/conformance.md.
ALLOWED: dict[str, list[Allowed]] = {
    "generic": [],
    "aws": [
        Allowed("access_invalid_resource_type", AWS_BODY, 1,
                "404 in AWS's error body shape", "docs/conformance.md, AWS replies"),
        Allowed("access_invalid_schema", AWS_BODY, 1,
                "404 in AWS's error body shape", "docs/conformance.md, AWS replies"),
        Allowed("random_url", AWS_BODY, 1,
                "404 in AWS's error body shape", "docs/conformance.md, AWS replies"),
        Allowed("object_deletion", AWS_BODY, 2,
                "the 404 after DELETE is in AWS's error body shape",
                "docs/conformance.md, AWS replies"),
        Allowed("object_list_with_attributes", AWS_BODY, 2,
                "ListUsers/ListGroups take no attributes/excludedAttributes (400)",
                f"{T1} ListUsers"),
        Allowed("object_query_with_attributes", r"still present|not present|missing", 2,
                "GetUser/GetGroup ignore attributes/excludedAttributes", f"{T1} ListUsers"),
        Allowed("search_with_attributes", AWS_BODY, 2,
                "/.search is not supported (400)", f"{T1} Operations"),
        Allowed("object_replacement", AWS_BODY, 1,
                "PUT on a group is not supported (400)", f"{T1} Operations"),
        Allowed("check_add_attribute", r"'emails'.*" + AWS_BODY, 1,
                "one email per user and it must be primary", f"{T1} CreateUser/PutUser"),
        Allowed("check_replace_attribute", r"'emails'.*" + AWS_BODY, 1,
                "one email per user and it must be primary", f"{T1} CreateUser/PutUser"),
        Allowed("check_add_attribute", r"'roles'.*" + AWS_BODY, 1,
                "roles is not a patchable attribute", f"{T1} PatchUser"),
        Allowed("check_remove_attribute", r"'roles'.*" + AWS_BODY, 1,
                "roles is not a patchable attribute", f"{T1} PatchUser"),
        Allowed("check_replace_attribute", r"'roles'.*" + AWS_BODY, 1,
                "roles is not a patchable attribute", f"{T1} PatchUser"),
        Allowed("check_remove_attribute", r"'active'.*" + AWS_BODY, 1,
                "active cannot be removed", f"{T1} PatchUser"),
        Allowed("check_add_attribute", r"'members' was not added", 1,
                "groups are always returned without members", f"{T1} ListGroups/GetGroup"),
        Allowed("check_replace_attribute", r"'members'.*" + AWS_BODY, 1,
                "replacing all members is a 400", f"{T1} Groups, PatchGroup"),
    ],
    "strongdm": [
        Allowed("check_add_attribute", r"is supported for users", 20,
                "user PATCH only sets active with {op: replace, value: {active}}",
                f"{T3} Users"),
        Allowed("check_remove_attribute", r"is supported for users", 20,
                "user PATCH only sets active with {op: replace, value: {active}}",
                f"{T3} Users"),
        Allowed("check_replace_attribute", r"is supported for users", 23,
                "user PATCH only sets active with {op: replace, value: {active}}",
                f"{T3} Users"),
        Allowed("check_add_attribute", r"'externalId'.*unsupported group PATCH", 1,
                "group PATCH has four forms; externalId is in none", f"{T3} Groups"),
        Allowed("check_remove_attribute", r"'externalId'.*unsupported group PATCH", 1,
                "group PATCH has four forms; externalId is in none", f"{T3} Groups"),
        Allowed("check_replace_attribute", r"'externalId'.*unsupported group PATCH", 1,
                "group PATCH has four forms; externalId is in none", f"{T3} Groups"),
        Allowed("check_remove_attribute", r"'members'.*unsupported group PATCH", 1,
                "members are removed one by one with members[value eq ...]", f"{T3} Groups"),
        Allowed("check_replace_attribute", r"'displayName'.*unsupported group PATCH", 1,
                "a rename is {op: replace, value: {displayName}} without a path", f"{T3} Groups"),
    ],
}


@dataclass
class Finding:
    status: str
    check: str
    reason: str


def parse(output: str) -> list[Finding]:
    """Findings from `scim test` output: a status line, then an indented reason line."""
    findings: list[Finding] = []
    for line in output.splitlines():
        m = STATUS_LINE.match(line)
        if m:
            findings.append(Finding(m.group(1), m.group(2), ""))
        elif findings and line.startswith("  ") and not findings[-1].reason:
            findings[-1].reason = line.strip()
    return findings


def start_sim(binary: str, dialect: str) -> tuple[subprocess.Popen, dict]:
    token = "conf-" + secrets.token_hex(16)
    proc = subprocess.Popen(
        [binary, "--dialect", dialect, "--port", "0", "--token", token],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise RuntimeError(f"sim-target --dialect {dialect} printed nothing")
    return proc, json.loads(line)


def run_tester(base_url: str, token: str) -> tuple[list[Finding], str]:
    scim = shutil.which("scim")
    if scim is None:
        raise RuntimeError("the `scim` command (scim2-cli) is not on PATH")
    # The token goes through the environment, not argv, so other users cannot read it.
    env = dict(os.environ, SCIM_CLI_HEADERS=f"Authorization: Bearer {token}")
    done = subprocess.run(
        [scim, "--url", base_url, "test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = done.stdout + done.stderr
    findings = parse(out)
    if not findings:
        raise RuntimeError(f"scim test reported nothing (exit {done.returncode}):\n{out}")
    return findings, out


def judge(dialect: str, findings: list[Finding]) -> list[str]:
    """Problems with this dialect's findings; empty when it is within its allow-list."""
    allowed = ALLOWED.get(dialect, [])
    seen = [0] * len(allowed)
    problems = []
    for f in findings:
        if f.status not in FAILING:
            continue
        for i, a in enumerate(allowed):
            if f.check == a.check and re.search(a.reason, f.reason):
                seen[i] += 1
                break
        else:
            problems.append(f"{f.status} {f.check}: {f.reason}")
    for a, n in zip(allowed, seen):
        if n > a.most:
            problems.append(
                f"{n} findings for {a.check} /{a.reason}/, at most {a.most} are documented"
            )
    return problems


def main() -> int:
    target_dir = os.environ.get("CARGO_TARGET_DIR", "target")
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin", default=os.path.join(target_dir, "debug", "sim-target"))
    p.add_argument("--dialect", action="append", choices=sorted(ALLOWED))
    p.add_argument("--show", action="store_true", help="print every non-success finding")
    args = p.parse_args()
    if not os.access(args.bin, os.X_OK):
        print(f"conformance: no sim-target binary at {args.bin}", file=sys.stderr)
        return 2

    failed = False
    for dialect in args.dialect or ["generic", "aws", "strongdm"]:
        started = time.monotonic()
        proc, info = start_sim(args.bin, dialect)
        try:
            findings, _ = run_tester(info["base_url"], info["token"])
        finally:
            proc.kill()
            proc.wait()
        counts: dict[str, int] = {}
        for f in findings:
            counts[f.status] = counts.get(f.status, 0) + 1
        errors = sum(counts.get(s, 0) for s in FAILING)
        summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        took = time.monotonic() - started
        print(f"conformance {dialect}: {errors} errors ({summary}) in {took:.1f}s")
        if args.show:
            for f in findings:
                if f.status not in FAILING and f.status != "SUCCESS":
                    print(f"  {f.status} {f.check}: {f.reason}")
            for a in ALLOWED.get(dialect, []):
                print(f"  allowed: {a.check} /{a.reason}/ <= {a.most}: {a.why} ({a.source})")
        problems = judge(dialect, findings)
        for problem in problems:
            print(f"  NOT ALLOWED: {problem}")
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
