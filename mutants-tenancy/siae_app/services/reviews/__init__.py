"""Bilans: when they are due (schedule), what they compile (compile), how they move from
brouillon to validé (workflow), and the PDF copies they produce (documents)."""
