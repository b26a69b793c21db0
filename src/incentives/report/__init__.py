"""Stage 6: rendering results and diagnostics for people and tools."""
