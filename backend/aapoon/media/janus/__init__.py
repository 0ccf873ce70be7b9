"""Talking to Janus: its HTTP and admin APIs, signed tokens, generated config, the process."""
