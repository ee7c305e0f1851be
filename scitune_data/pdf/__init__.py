"""PDF access: the only package that talks to PyMuPDF's page API."""
