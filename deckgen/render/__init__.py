"""Rendering: turns computed results into slides. Never imports pandas."""
