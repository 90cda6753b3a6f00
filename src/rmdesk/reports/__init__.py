"""PDF builders on reportlab. No Qt; the language is always an argument."""
