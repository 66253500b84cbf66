"""``kind = "write"``: the learner completes a function, graded by running it."""
