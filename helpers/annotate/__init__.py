"""Stage 2, annotate: the clean articles in, one row per sentence and per named entity out.

* :mod:`helpers.annotate.nlp` -- load the spaCy model once per process;
* :mod:`helpers.annotate.sentences` -- the ``sentences`` table (and the entities found on the way);
* :mod:`helpers.annotate.entities` -- the ``entities`` table: kept labels and canonical names;
* :mod:`helpers.annotate.tone` -- the tone (VADER compound) of each sentence naming an actor.
"""
