"""Outputs of a portrait: JSON, radar charts (matplotlib) and Excel workbooks (openpyxl).

matplotlib and openpyxl are imported inside the functions that use them, so that starting
the application does not pay for them.
"""
