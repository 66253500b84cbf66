"""``kind = "typed"``: the learner types the answer, checked leniently."""
