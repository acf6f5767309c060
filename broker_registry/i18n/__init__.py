"""Languages: the labels pages show for the API's codes (labels.py), how values are written in
the page's language (formats.py), and the catalogues (translations/, `make translations`).
How a request's language is chosen is the web layer's (web/languages.py)."""
