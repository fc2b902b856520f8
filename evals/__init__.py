"""Eval suite: runs the fact-checker on externally labelled data and reports metrics against targets."""
