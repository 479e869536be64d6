"""Critical Minerals Atlas: YAML facts → validated records → Markdown → MkDocs site."""
