"""Attestations de compétences: compose (from the latest validated assessment), sign (freeze,
PDF, SHA-256, verification code), verify (public page), export (Open Badges 3.0, ZIP batches)."""
