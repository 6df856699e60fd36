"""Encode: tools for encoders and reviewers. A TEI skeleton from a plain text (new), names (gazetteer) and
dates (dates) found in running text, lint, stats. Imports core and validate, never publish."""
