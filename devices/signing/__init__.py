"""Signed PDFs: the city's PAdES signature (pyHanko), PDF/A, verification."""
