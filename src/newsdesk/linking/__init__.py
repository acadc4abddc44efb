"""Linking across articles: copies and translations, stories and storylines, one identity per entity.

Everything here is incremental: articles arrive in time order and each is linked
to what came before without recomputing the corpus.
"""
