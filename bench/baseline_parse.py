"""Today's parse before issue 12, for the parse-only comparison: ``json.loads``, then
generated Python walking the dicts into frozen, slotted dataclasses.

The DescribeCases part of ``generated/aws_support`` as generated at commit dc54ca9
(models without docstrings, the five ``parse_`` functions verbatim, formatted by
``ast.unparse``). It still runs on the ``aws_runtime.wire.de_*`` helpers it used.
"""

from __future__ import annotations

import dataclasses as _dataclasses
import json
import typing as _t

from aws_runtime import wire as _w

__all__ = ["parse"]


class _Models:
    """Namespace standing in for the old ``models`` module (``_m``)."""


_m = _Models



@_dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class AttachmentDetails:
    attachment_id: str | None = None
    file_name: str | None = None


@_dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CaseDetails:
    case_id: str | None = None
    display_id: str | None = None
    subject: str | None = None
    status: str | None = None
    service_code: str | None = None
    category_code: str | None = None
    severity_code: str | None = None
    submitted_by: str | None = None
    time_created: str | None = None
    recent_communications: RecentCaseCommunications | None = None
    cc_email_addresses: list[str | None] | None = None
    language: str | None = None


@_dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Communication:
    case_id: str | None = None
    body: str | None = None
    submitted_by: str | None = None
    time_created: str | None = None
    attachments: list[AttachmentDetails] | None = None
    attachment_set: list[AttachmentDetails] | None = None


@_dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DescribeCasesResponse:
    cases: list[CaseDetails] | None = None
    next_token: str | None = None


@_dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class RecentCaseCommunications:
    communications: list[Communication] | None = None
    next_token: str | None = None


for _cls in (DescribeCasesResponse, CaseDetails, RecentCaseCommunications, Communication, AttachmentDetails):
    setattr(_m, _cls.__name__, _cls)


def parse_attachment_details(o: _t.Any) -> _m.AttachmentDetails:
    d = _w.de_object(o)
    return _m.AttachmentDetails(attachment_id=_w.de_str(d.get('attachmentId'), 'attachmentId'), file_name=_w.de_str(d.get('fileName'), 'fileName'))


def parse_case_details(o: _t.Any) -> _m.CaseDetails:
    d = _w.de_object(o)
    return _m.CaseDetails(case_id=_w.de_str(d.get('caseId'), 'caseId'), display_id=_w.de_str(d.get('displayId'), 'displayId'), subject=_w.de_str(d.get('subject'), 'subject'), status=_w.de_str(d.get('status'), 'status'), service_code=_w.de_str(d.get('serviceCode'), 'serviceCode'), category_code=_w.de_str(d.get('categoryCode'), 'categoryCode'), severity_code=_w.de_str(d.get('severityCode'), 'severityCode'), submitted_by=_w.de_str(d.get('submittedBy'), 'submittedBy'), time_created=_w.de_str(d.get('timeCreated'), 'timeCreated'), recent_communications=_w.de_nested(parse_recent_case_communications, d.get('recentCommunications'), 'recentCommunications'), cc_email_addresses=_w.de_list_of(_w.de_str, d.get('ccEmailAddresses'), 'ccEmailAddresses'), language=_w.de_str(d.get('language'), 'language'))


def parse_communication(o: _t.Any) -> _m.Communication:
    d = _w.de_object(o)
    return _m.Communication(case_id=_w.de_str(d.get('caseId'), 'caseId'), body=_w.de_str(d.get('body'), 'body'), submitted_by=_w.de_str(d.get('submittedBy'), 'submittedBy'), time_created=_w.de_str(d.get('timeCreated'), 'timeCreated'), attachments=_w.de_list_of(parse_attachment_details, d.get('attachments'), 'attachments'), attachment_set=_w.de_list_of(parse_attachment_details, d.get('attachmentSet'), 'attachmentSet'))


def parse_describe_cases_response(o: _t.Any) -> _m.DescribeCasesResponse:
    d = _w.de_object(o)
    return _m.DescribeCasesResponse(cases=_w.de_list_of(parse_case_details, d.get('cases'), 'cases'), next_token=_w.de_str(d.get('nextToken'), 'nextToken'))


def parse_recent_case_communications(o: _t.Any) -> _m.RecentCaseCommunications:
    d = _w.de_object(o)
    return _m.RecentCaseCommunications(communications=_w.de_list_of(parse_communication, d.get('communications'), 'communications'), next_token=_w.de_str(d.get('nextToken'), 'nextToken'))


def parse(body: bytes) -> DescribeCasesResponse:
    """The old path for a DescribeCases reply body: ``json.loads`` then the generated walk."""
    return parse_describe_cases_response(json.loads(body))
