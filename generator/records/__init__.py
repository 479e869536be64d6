"""The records as the stages pass them on.

The collections and their registry, the dataset and what is derived from it, the status engine and
status in words.
"""
