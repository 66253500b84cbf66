"""``kind = "basic"``: a front and a back."""
