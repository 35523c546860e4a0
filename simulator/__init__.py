"""vbdt-lab: a training and simulation lab for electronic official documents.

Layers (imports point down only, see ARCHITECTURE.md):
  lab, grading, cli  ->  flows, signing, routing, archiving  ->  documents, province, calendar
"""

__version__ = "0.1.0"
