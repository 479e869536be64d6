"""The commands beside the pipeline.

The live preview, `atlas new`, link and source checks, `atlas status`, the importer and the
editors' schemas.
"""
