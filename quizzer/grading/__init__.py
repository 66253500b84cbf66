"""Grading drills by running code, across three kinds of process.

- The UI process, which never imports torch: ``client`` (``GradingClient``), ``protocol``
  (frames, results), ``instance`` (parameters, what the learner sees), ``answers`` (reading a
  typed prediction), ``rules`` (a drill's rules, and their verdict on the record of what ran) and ``rules_syntax`` (the
  same rules checked on the syntax tree).
- The grading service, ``python -m quizzer.grading.service``: ``service`` (requests and
  verdicts), ``trusted`` (examples, generators, references, snippets, and their cache),
  ``checks`` (judging outputs), ``execution`` (defining and calling drill code, shared with
  the sandbox).
- The zygote and its sandbox children: ``sandbox`` (forking ahead, time and output limits,
  killing and reaping), ``confine`` (rlimits, uid, Landlock, network namespace), ``learner``
  (what a child does with the learner's code), ``recorder`` (what the learner's code runs,
  recorded for the service to judge).
"""
