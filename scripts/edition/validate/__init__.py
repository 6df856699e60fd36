"""Validate: RELAX NG (rng), Schematron (schematron, schfunctions) and the corpus checks, run over a corpus
into one report (validator). Imports only core."""
