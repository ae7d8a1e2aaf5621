"""Rule kinds, compiled rules, cues and the Python rule registry."""
