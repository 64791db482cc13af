"""Model HTML → docstring text (generator.docs) and docstring literals (generator.render).

The first group converts snippets copied from the Support model (botocore
1.44.8) and checks the exact text; the second covers HTML the Support model
does not use but other models do; the third proves that whatever the text,
the generated literal is valid Python whose value is the wrapped text; the last
sweeps every docstring of the committed package.
"""

from __future__ import annotations

import ast
import inspect
import re

import pytest
from conftest import GENERATED
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import docs, render

# ------------------------------------------------------------ real snippets

DESCRIBE_CASES_HEAD = (
    "<p>Returns a list of cases that you specify by passing one or more case IDs. You can use "
    "the <code>afterTime</code> and <code>beforeTime</code> parameters to filter the cases by "
    "date.</p> <p>The response returns the following in JSON format:</p> <ul> <li> <p>One or "
    'more <a href="https://docs.aws.amazon.com/awssupport/latest/APIReference/API_CaseDetails.html">'
    "CaseDetails</a> data types.</p> </li> <li> <p>One or more <code>nextToken</code> values, "
    "which specify where to paginate the returned records represented by the "
    "<code>CaseDetails</code> objects.</p> </li> </ul>"
)

SEVERITY_CODE = (
    "<p>A value that indicates the urgency of the case. You can use the "
    "<a>DescribeSeverityLevels</a> operation to get the possible values for "
    "<code>severityCode</code>. </p> <p>For more information, see <a>SeverityLevel</a> and "
    '<a href="https://docs.aws.amazon.com/awssupport/latest/user/getting-started.html'
    '#choosing-severity">Choosing a Severity</a> in the <i>Amazon Web Services Support User '
    "Guide</i>.</p> <note> <p>The availability of severity levels depends on the support plan "
    "for the Amazon Web Services account.</p> </note>"
)

RESOLVE_CASE = (
    "<p>Resolves a support case. This operation takes a <code>caseId</code> and returns the "
    "initial and final state of the case.</p> <note> <ul> <li> <p>You must have a support "
    "plan.</p> </li> <li> <p>Otherwise the <code>SubscriptionRequiredException</code> error "
    'message appears. See <a href="http://aws.amazon.com/premiumsupport/">Amazon Web Services '
    "Support</a>.</p> </li> </ul> </note>"
)

REDACTION = (
    "<important> <p>Amazon Web Services Support automatically redacts sensitive information. "
    "The following information is replaced with <code>[REDACTED_BY_Amazon Web Services]</code> "
    "and is not stored:</p> <ul> <li> <p>Amazon Web Services secret keys - The complete key is "
    "replaced.</p> </li> </ul> <p>This sensitive information is never required.</p> </important>"
)


def test_paragraphs_code_spans_links_and_list_items() -> None:
    assert docs.html_to_text(DESCRIBE_CASES_HEAD) == (
        "Returns a list of cases that you specify by passing one or more case IDs. You can use "
        "the `afterTime` and `beforeTime` parameters to filter the cases by date.\n"
        "\n"
        "The response returns the following in JSON format:\n"
        "\n"
        "- One or more CaseDetails "
        "(https://docs.aws.amazon.com/awssupport/latest/APIReference/API_CaseDetails.html) "
        "data types.\n"
        "- One or more `nextToken` values, which specify where to paginate the returned "
        "records represented by the `CaseDetails` objects."
    )


def test_cross_references_keep_their_text_and_single_paragraph_note_is_inline() -> None:
    assert docs.html_to_text(SEVERITY_CODE) == (
        "A value that indicates the urgency of the case. You can use the "
        "DescribeSeverityLevels operation to get the possible values for `severityCode`.\n"
        "\n"
        "For more information, see SeverityLevel and Choosing a Severity "
        "(https://docs.aws.amazon.com/awssupport/latest/user/getting-started.html"
        "#choosing-severity) in the *Amazon Web Services Support User Guide*.\n"
        "\n"
        "Note: The availability of severity levels depends on the support plan for the "
        "Amazon Web Services account."
    )


def test_note_with_a_list_is_an_indented_section() -> None:
    assert docs.html_to_text(RESOLVE_CASE) == (
        "Resolves a support case. This operation takes a `caseId` and returns the initial "
        "and final state of the case.\n"
        "\n"
        "Note:\n"
        "    - You must have a support plan.\n"
        "    - Otherwise the `SubscriptionRequiredException` error message appears. See "
        "Amazon Web Services Support (http://aws.amazon.com/premiumsupport/)."
    )


def test_important_with_paragraphs_and_list_wraps_inside_its_indent() -> None:
    text = docs.html_to_text(REDACTION)
    assert text.startswith("Important:\n    Amazon Web Services Support automatically redacts")
    lines = docs.docstring_lines(text, 60)
    assert lines == [
        "Important:",
        "    Amazon Web Services Support automatically redacts",
        "    sensitive information. The following information is",
        "    replaced with `[REDACTED_BY_Amazon Web Services]` and is",
        "    not stored:",
        "",
        "    - Amazon Web Services secret keys - The complete key is",
        "      replaced.",
        "",
        "    This sensitive information is never required.",
    ]


def test_urls_and_code_spans_are_never_split() -> None:
    text = docs.html_to_text(DESCRIBE_CASES_HEAD)
    lines = docs.docstring_lines(text, 40)
    url = "(https://docs.aws.amazon.com/awssupport/latest/APIReference/API_CaseDetails.html)"
    assert url in [line.strip() for line in lines]
    wrapped = docs.docstring_lines("word " * 5 + "`[REDACTED_BY_Amazon Web Services]` tail", 30)
    assert "`[REDACTED_BY_Amazon Web Services]`" in "\n".join(wrapped)
    for line in lines:
        assert len(line) <= 40 or " " not in line.strip().lstrip("- ")


# ------------------------------------------------------------- edge cases


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("", ""),
        ("   \n ", ""),
        ("plain text, no tags", "plain text, no tags"),
        ("<fullname>AWS Support</fullname><p>Body</p>", "Body"),
        ("<p>  lots   of \n\n spaces\t here </p>", "lots of\nspaces here"),
        ("<p>one<br/>two</p>", "one two"),
        ("<p>a &lt; b &amp;&amp; c &gt; d &quot;q&quot;</p>", 'a < b && c > d "q"'),
        ("<p>non&nbsp;breaking\u00a0space</p>", "non breaking space"),
        ("<p>bell\x07 nul\x00 end</p>", "bell nul end"),
        ("<p>line\u2028separator</p>", "line separator"),
        ("<p><b>bold</b> and <i>italic</i></p>", "**bold** and *italic*"),
        ("<p>Use <code>a`b</code></p>", "Use `` a`b ``"),
        ('<p><a href="https://x.example/">https://x.example/</a></p>', "https://x.example/"),
        ('<p><a href="https://x.example/"></a></p>', "https://x.example/"),
        ('<p><a href=" https://x.example/p ">  text </a></p>', "text (https://x.example/p)"),
        ("<p>See <a>CreateCase</a>.</p>", "See CreateCase."),
        ("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second"),
        ("<ul><li>one<ul><li>sub</li></ul></li><li>two</li></ul>", "- one\n  - sub\n- two"),
        ("<dl><dt>Term</dt><dd>The definition</dd></dl>", "- Term: The definition"),
        ("<pre><code>x = 1\n  y = 2</code></pre>", "```\nx = 1\n  y = 2\n```"),
        ("<note><p>P1.</p><p>P2.</p></note>", "Note:\n    P1.\n\n    P2."),
        ("<note></note><p>After</p>", "After"),
        ("<p>Use * and _under_score_ and 2*3</p>", "Use * and _under_score_ and 2*3"),
    ],
)
def test_edge_cases(html: str, text: str) -> None:
    assert docs.html_to_text(html) == text


def test_verbatim_blocks_are_not_rewrapped() -> None:
    text = "Intro text.\n\n```\nx = 1\n\n    y = [1, 2, 3]  # a long comment that goes past the width\n```\n\n| a | b |\n| --- | --- |"
    assert docs.docstring_lines(text, 20) == [
        "Intro text.",
        "",
        "```",
        "x = 1",
        "",
        "    y = [1, 2, 3]  # a long comment that goes past the width",
        "```",
        "",
        "| a | b |",
        "| --- | --- |",
    ]


def test_summary_is_the_first_paragraph_on_one_line() -> None:
    text = docs.html_to_text(SEVERITY_CODE)
    assert docs.summary(text) == (
        "A value that indicates the urgency of the case. You can use the "
        "DescribeSeverityLevels operation to get the possible values for `severityCode`."
    )


# ------------------------------------------------------------- escaping


def _literal_value(literal: str) -> str:
    """The docstring value of ``literal`` placed in a function, as Python reads it."""
    source = f"def f():\n    {literal}\n"
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    doc = ast.get_docstring(func, clean=True)
    assert doc is not None
    return doc


@pytest.mark.parametrize(
    "text",
    [
        'Ends with a quote "',
        'Has """triple""" quotes and """ more',
        'Four """" quotes',
        "Backslashes C:\\temp\\new \\d+ \\N{BULLET} \\x41 \\u0041 and a trailing \\",
        "Single ''' triple quotes",
        "\\",
        '"',
        '"""',
        'first line\n\nsecond paragraph ends with "',
    ],
)
def test_docstring_literal_is_valid_python_with_the_exact_text(text: str) -> None:
    literal = render.docstring(text, indent=4)
    assert _literal_value(literal) == "\n".join(docs.docstring_lines(text, 84))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab "\'\\`\n-.*1') + ["\u00e9", "\u2028"]), max_size=80))
def test_any_text_gives_a_valid_literal(text: str) -> None:
    literal = render.docstring(text, indent=4)
    expected_lines = docs.docstring_lines(text, 84) if text else []
    expected = "\n".join(expected_lines) if any(expected_lines) else "(No documentation in the model.)"
    assert _literal_value(literal) == inspect.cleandoc(expected)


# --------------------------------------------------- the committed package


def _docstrings(tree: ast.AST) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)):
            doc = ast.get_docstring(node)
            if doc:
                out.append(doc)
    return out


def test_every_generated_docstring_is_clean_text() -> None:
    count = 0
    for path in sorted((GENERATED / "aws_support").glob("*.py")):
        for doc in _docstrings(ast.parse(path.read_text())):
            count += 1
            assert not re.search(r"</?(p|code|a|ul|li|note|important|b|i|fullname)\b", doc), doc[:200]
            assert not re.search(r"&(amp|lt|gt|quot|nbsp);", doc), doc[:200]
            assert "\u00a0" not in doc
            assert not re.search(r"[\x00-\x08\x0b-\x1f]", doc)
    assert count > 100


def test_operation_docstrings_have_args_returns_raises() -> None:
    from aws_support import SupportClient

    doc = inspect.getdoc(SupportClient.create_case) or ""
    sections = [line for line in doc.splitlines() if re.fullmatch(r"[A-Z][a-z]+:", line)]
    assert sections == ["Important:", "Note:", "Args:", "Returns:", "Raises:"]
    assert "    subject: The title of the support case." in doc
    assert "    CreateCaseResponse: the CreateCase reply (case_id)." in doc
    assert "    errors.CaseCreationLimitExceeded: The case creation limit" in doc
    pages_doc = inspect.getdoc(SupportClient.describe_cases_pages) or ""
    assert "    max_items: Stop after this many items in total" in pages_doc
    assert "    aws_runtime.errors.PaginationError: While iterating" in pages_doc
