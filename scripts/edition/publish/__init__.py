"""Publish: the build (build: validate, render, swap in), what its renderers share (context, carry), and the
editions: web/ (the static site), text, print. Imports core and validate, never encode."""
