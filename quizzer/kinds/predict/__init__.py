"""``kind = "predict"``: the learner predicts what a snippet evaluates to."""
