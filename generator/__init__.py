"""Critical Minerals Atlas: YAML facts → validated records → Markdown → MkDocs site.

Importing the package registers the atlas's own collections (`catalogue.py`).
"""

from . import catalogue as catalogue
