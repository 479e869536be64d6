"""Shared vocabulary every stage speaks.

The data models, documents and problems, paths and URLs, settings, formatting and citations.
"""
