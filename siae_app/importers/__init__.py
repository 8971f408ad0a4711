"""Importers for certification frameworks: REAC text / PDF, JSON and CSV exchange formats.

Pure Python (no Flask, no database). The exchange formats are documented in French in
``docs/framework-format.md``.
"""

from siae_app.importers.framework_format import (
    FrameworkFormatError,
    TextDecodeError,
    decode_text_upload,
    from_csv,
    from_json_dict,
    from_json_text,
    to_csv,
    to_csv_bytes,
    to_json_dict,
    to_json_text,
)
from siae_app.importers.pdf_text import PdfTextError, extract_pdf_text
from siae_app.importers.reac import (
    KNOWLEDGE_KEYS,
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
    ReacParseError,
    parse_reac_text,
)

__all__ = [
    "KNOWLEDGE_KEYS",
    "FrameworkFormatError",
    "ParsedBlock",
    "ParsedCompetency",
    "ParsedCriterion",
    "ParsedFramework",
    "PdfTextError",
    "ReacParseError",
    "TextDecodeError",
    "decode_text_upload",
    "extract_pdf_text",
    "from_csv",
    "from_json_dict",
    "from_json_text",
    "parse_reac_text",
    "to_csv",
    "to_csv_bytes",
    "to_json_dict",
    "to_json_text",
]
