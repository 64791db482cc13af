"""Compile an endpoint rule set (``endpoint-rule-set-1.json``) into Python statements.

Each rule becomes an ``if`` over its conditions (``assign`` conditions use
``:=``), tree rules nest, endpoint rules ``return`` an
:class:`aws_runtime.endpoints.Endpoint` and error rules ``raise``
:class:`~aws_runtime.errors.EndpointResolutionError`. Rules after an
unconditional terminal rule are unreachable and not emitted. Functions map to
Python operators or to :mod:`aws_runtime.endpoints` (see ``_FUNCTIONS``);
an unknown function stops generation. Partition data (``partitions.json``
from botocore) is embedded at generation time.

Semantics (Smithy rules engine specification; botocore ``endpoint_provider``):
a condition holds when its value is neither ``None`` nor ``False``; a tree
rule whose sub-rules all fail falls through to the next rule; when nothing
matches, resolution fails.
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import naming
from .ir import EndpointParamIR, EndpointsIR

__all__ = ["BUILTIN_ARGS", "RuleSetError", "compile_ruleset"]

# builtIn → the keyword argument the runtime client passes
BUILTIN_ARGS = {
    "AWS::Region": "region",
    "AWS::UseFIPS": "use_fips",
    "AWS::UseDualStack": "use_dual_stack",
    "SDK::Endpoint": "endpoint",
}

_BOOLEAN_FUNCTIONS = {
    "isSet",
    "not",
    "booleanEquals",
    "stringEquals",
    "isValidHostLabel",
    "aws.isVirtualHostableS3Bucket",
}

_LIBRARY = {
    "aws.partition": "_ep.partition(_PARTITIONS, {0})",
    "aws.parseArn": "_ep.parse_arn({0})",
    "parseURL": "_ep.parse_url({0})",
    "uriEncode": "_ep.uri_encode({0})",
    "substring": "_ep.substring({0}, {1}, {2}, {3})",
    "isValidHostLabel": "_ep.is_valid_host_label({0}, {1})",
    "aws.isVirtualHostableS3Bucket": "_ep.is_virtual_hostable_s3_bucket({0}, {1})",
    "split": "_ep.split({0}, {1}, {2})",
}


class RuleSetError(ValueError):
    """The rule set uses a construct the compiler does not know."""


class _Compiler:
    def __init__(self, ruleset: dict[str, Any]) -> None:
        self.params: dict[str, EndpointParamIR] = {}
        for name, spec in ruleset.get("parameters", {}).items():
            built_in = spec.get("builtIn")
            py = BUILTIN_ARGS.get(built_in or "") or naming.member_name(name)
            ptype = str(spec.get("type", "string")).lower()
            self.params[name] = EndpointParamIR(
                name=name,
                py_name=py,
                type=ptype,
                required=bool(spec.get("required")),
                default=spec.get("default"),
                built_in=built_in,
                doc=str(spec.get("documentation", "")),
            )
        self.locals: dict[str, str] = {p.name: p.py_name for p in self.params.values()}
        self.lines: list[str] = []
        self.ruleset = ruleset

    def var(self, name: str) -> str:
        py = self.locals.get(name)
        if py is None:
            py = "v_" + naming.snake(name)
            self.locals[name] = py
        return py

    # expressions ---------------------------------------------------------

    def expr(self, node: Any) -> str:
        if isinstance(node, bool):
            return "True" if node else "False"
        if isinstance(node, (int, float)):
            return repr(node)
        if isinstance(node, str):
            return self.template(node)
        if isinstance(node, list):
            return "[" + ", ".join(self.expr(n) for n in node) + "]"
        if isinstance(node, dict):
            if "ref" in node:
                if node["ref"] not in self.locals:
                    raise RuleSetError(f"reference to unknown name {node['ref']!r}")
                return self.locals[node["ref"]]
            if "fn" in node:
                return self.call(node["fn"], node.get("argv", []))
            return "{" + ", ".join(f"{k!r}: {self.expr(v)}" for k, v in node.items()) + "}"
        raise RuleSetError(f"cannot compile rule-set value {node!r}")

    def call(self, fn: str, argv: list[Any]) -> str:
        args = [self.expr(a) for a in argv]
        if fn == "isSet":
            return f"{args[0]} is not None"
        if fn == "not":
            return f"not ({args[0]})"
        if fn in ("booleanEquals", "stringEquals"):
            left, right = args
            if right in ("True", "False"):
                return f"{left} is {right}"
            if left in ("True", "False"):
                return f"{right} is {left}"
            return f"{left} == {right}"
        if fn == "getAttr":
            path = argv[1]
            if not isinstance(path, str):
                raise RuleSetError("getAttr path must be a literal string")
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", path):
                return f"{args[0]}[{path!r}]"
            return f"_ep.get_attr({args[0]}, {path!r})"
        if fn == "coalesce":
            return f"({args[0]} if {args[0]} is not None else {args[1]})"
        if fn == "ite":
            return f"({args[1]} if {args[0]} else {args[2]})"
        template = _LIBRARY.get(fn)
        if template is None:
            raise RuleSetError(f"endpoint rule-set function {fn!r} is not supported")
        return template.format(*args)

    def template(self, text: str) -> str:
        """A rule-set string: ``{Name}`` and ``{Name#attr.path}`` are substitutions."""
        if "{" not in text:
            return repr(text)
        whole = re.fullmatch(r"\{([A-Za-z0-9_]+)(?:#([A-Za-z0-9_.\[\]]+))?\}", text)
        if whole:  # a lone substitution is the value itself
            ref = self.expr({"ref": whole.group(1)})
            attr = whole.group(2)
            if not attr:
                return ref
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", attr):
                return f"{ref}[{attr!r}]"
            return f"_ep.get_attr({ref}, {attr!r})"
        parts: list[str] = []
        pos = 0
        for m in re.finditer(r"\{\{|\}\}|\{([^{}]+)\}", text):
            parts.append(text[pos : m.start()].replace("{", "{{").replace("}", "}}"))
            token = m.group(0)
            if token in ("{{", "}}"):
                parts.append(token)
            else:
                name, _, attr = m.group(1).partition("#")
                ref = self.expr({"ref": name})
                if attr:
                    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", attr):
                        ref = f"{ref}[{attr!r}]"
                    else:
                        ref = f"_ep.get_attr({ref}, {attr!r})"
                parts.append("{" + ref + "}")
            pos = m.end()
        parts.append(text[pos:].replace("{", "{{").replace("}", "}}"))
        body = "".join(parts)
        if '"' in body or "\\" in body:
            raise RuleSetError(f"template {text!r} needs escaping the compiler does not do")
        return 'f"' + body + '"'

    def condition(self, cond: dict[str, Any]) -> str:
        fn = cond["fn"]
        value = self.call(fn, cond.get("argv", []))
        assign = cond.get("assign")
        if assign:
            var = self.var(assign)
            if fn in _BOOLEAN_FUNCTIONS:
                return f"({var} := {value})"
            return f"({var} := {value}) is not None"
        if fn in _BOOLEAN_FUNCTIONS:
            return value
        if fn == "getAttr":
            return f"{value} not in (None, False)"
        return f"{value} is not None"

    # statements ----------------------------------------------------------

    def rules(self, rules: list[dict[str, Any]], indent: int) -> bool:
        """Emit rules; True when the last emitted rule always terminates."""
        for rule in rules:
            rule = _merge_single_child(rule)
            conds = rule.get("conditions", [])
            pad = "    " * indent
            if conds:
                tests = " and ".join(self.condition(c) for c in conds)
                self.lines.append(f"{pad}if {tests}:")
                self.body(rule, indent + 1)
            else:
                if self.body(rule, indent):
                    return True
        return False

    def body(self, rule: dict[str, Any], indent: int) -> bool:
        pad = "    " * indent
        kind = rule["type"]
        if kind == "endpoint":
            ep = rule["endpoint"]
            args = [f"url={self.expr(ep['url'])}"]
            if ep.get("properties"):
                args.append(f"properties={self.expr(ep['properties'])}")
            if ep.get("headers"):
                args.append(f"headers={self.expr(ep['headers'])}")
            self.lines.append(f"{pad}return _ep.Endpoint({', '.join(args)})")
            return True
        if kind == "error":
            self.lines.append(f"{pad}raise _ep.EndpointResolutionError({self.expr(rule['error'])})")
            return True
        if kind == "tree":
            return self.rules(rule["rules"], indent)
        raise RuleSetError(f"unknown rule type {kind!r}")

    def compile(self) -> list[str]:
        for p in self.params.values():
            if p.required and p.default is None:
                self.lines.append(f"    if {p.py_name} is None:")
                self.lines.append(
                    f"        raise _ep.EndpointResolutionError({('Missing required parameter ' + p.name)!r})"
                )
        if not self.rules(self.ruleset.get("rules", []), 1):
            self.lines.append("    raise _ep.no_rule_matched()")
        return self.lines


def _merge_single_child(rule: dict[str, Any]) -> dict[str, Any]:
    """``tree(A, [rule(B, ...)])`` → ``rule(A and B, ...)``: same fall-through, one ``if`` less."""
    while (
        rule["type"] == "tree"
        and len(rule["rules"]) == 1
        and rule["rules"][0].get("conditions")
    ):
        child = rule["rules"][0]
        rule = {**child, "conditions": list(rule.get("conditions", [])) + list(child["conditions"])}
    return rule


_NO_RULESET_BODY = (
    "    if endpoint is not None:",
    "        return _ep.Endpoint(url=endpoint)",
    "    raise _ep.EndpointResolutionError(",
    '        "this model has no endpoint rule set: pass endpoint_url"',
    "    )",
)


def _partition_data(partitions: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    partitions = json.loads(json.dumps(partitions))  # plain dicts, not the loader's OrderedDicts
    out = []
    for part in partitions.get("partitions", []):
        out.append(
            {
                "id": part["id"],
                "regionRegex": part["regionRegex"],
                "regions": {
                    name: {k: v for k, v in (spec or {}).items() if k != "description"}
                    for name, spec in part.get("regions", {}).items()
                },
                "outputs": part.get("outputs", {}),
            }
        )
    return tuple(out)


def compile_ruleset(ruleset: dict[str, Any] | None, partitions: dict[str, Any]) -> EndpointsIR:
    """Compile ``ruleset`` (or, without one, a resolver that needs ``endpoint_url``)."""
    if ruleset is None:
        params = (
            EndpointParamIR("Region", "region", "string", False, None, "AWS::Region"),
            EndpointParamIR("UseFIPS", "use_fips", "boolean", True, False, "AWS::UseFIPS"),
            EndpointParamIR("UseDualStack", "use_dual_stack", "boolean", True, False, "AWS::UseDualStack"),
            EndpointParamIR("Endpoint", "endpoint", "string", False, None, "SDK::Endpoint"),
        )
        return EndpointsIR(params=params, body=_NO_RULESET_BODY, partitions=_partition_data(partitions))
    compiler = _Compiler(ruleset)
    body = compiler.compile()
    params = list(compiler.params.values())
    present = {p.py_name for p in params}
    for built_in, py in BUILTIN_ARGS.items():  # the client always passes these four
        if py not in present:
            ptype = "string" if py in ("region", "endpoint") else "boolean"
            params.append(EndpointParamIR(py, py, ptype, False, False if ptype == "boolean" else None, built_in, "unused by this rule set"))
    return EndpointsIR(params=tuple(params), body=tuple(body), partitions=_partition_data(partitions))
