"""Measurements behind the analyser's library swaps (sentence splitting, language identification, number words).

`python -m evals.nlp` scores the candidates on dev data only and prints a table; see evals/README.md.
"""
