"""Documents: types (Appendix III), the Document model, numbering, content and PDF rendering.

Names are imported lazily: rendering pulls in pikepdf's PDF/A module and the
content generator Faker, which a command that only reads fonts or types
should not pay for.
"""

from importlib import import_module

_WHERE = {
    "ContentGenerator": "content", "Document": "model", "Priority": "model", "Recipient": "model",
    "Secrecy": "model", "Signer": "model", "Numberer": "numbering", "RenderResult": "render",
    "render_pdf": "render", "signature_box": "render", "DOCUMENT_TYPES": "types", "DocumentType": "types",
    "document_type": "types",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(f"simulator.documents.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'simulator.documents' has no attribute {name!r}")
