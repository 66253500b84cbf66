"""Cards from other apps and files: Anki packages and CSV in (and out).

Each importer turns what it reads into deck files in the learner's own deck folder and then
imports that folder like any other, so everything that comes in can be edited as text.
"""
