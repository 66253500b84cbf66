"""``kind = "choice"``: pick the right option(s) out of two to six."""
