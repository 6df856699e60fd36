"""Bench: benchmarks anyone can reproduce (measure: startup, scale; new: how much of the hand encoding
`edition new` proposes) and the synthetic corpus they run on (synth)."""
