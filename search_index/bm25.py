"""BM25F's parameters, as Whoosh's default weighting has them: the ranking reproduces
its scores, and the index view precomputes the length norms with the same values."""

from whoosh.scoring import BM25F

MODEL = BM25F()
K1, B = MODEL.K1, MODEL.B
