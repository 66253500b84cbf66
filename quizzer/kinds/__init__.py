"""Item kinds: one package per kind, found by ``quizzer.kinds.registry``.

``<name>/spec.py`` declares a kind as one ``KIND`` record (``quizzer.kinds.base.Kind``): its
fields and how they are checked, the cards it makes, how it is shown (in the app and by
``quizzer show``) and the rating an answer proposes. Where it takes an answer, ``view.py``
holds the Textual widget that takes it (loaded only by the screens), and a drill's
``grade.py`` says how the grading service judges an answer (loaded only there, beside torch).
"""
