"""Documents: types (Appendix III), the Document model, numbering, content and PDF rendering."""

from simulator.documents.content import ContentGenerator
from simulator.documents.model import Document, Priority, Recipient, Secrecy, Signer
from simulator.documents.numbering import Numberer
from simulator.documents.render import RenderResult, render_pdf, signature_box
from simulator.documents.types import DOCUMENT_TYPES, DocumentType, document_type

__all__ = [
    "ContentGenerator", "DOCUMENT_TYPES", "Document", "DocumentType", "Numberer", "Priority",
    "Recipient", "RenderResult", "Secrecy", "Signer", "document_type", "render_pdf", "signature_box",
]
